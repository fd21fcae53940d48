//! Enums and named integers: string enums, integer enums, and integers with named values.
//! Each keeps values it does not list, so a new value from the service is data; a request
//! refuses them in `validate()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Cx, Traits};
use super::{docs, ident};
use crate::model::{EnumVariant, Int, IntConst, IntVariant};

/// A string enum that keeps values it does not list in `Other`, so a new value from the service
/// is data, not a decoding error.
pub(crate) fn string_enum(
    name: &str,
    doc: TokenStream,
    variants: &[EnumVariant],
    traits: Traits,
    cx: &Cx<'_>,
) -> TokenStream {
    let k = &cx.settings.krate;
    let gate = &cx.gate;
    let name = ident(name);
    let idents: Vec<proc_macro2::Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&String> = variants.iter().map(|v| &v.wire).collect();
    let docs = variants
        .iter()
        .map(|v| docs::doc_parts([Some(format!("`{}`", v.wire).as_str()), v.doc.as_deref()]));
    let serialize = traits.serialize.then(|| {
        quote! {
            #gate
            impl #k::__private::serde::Serialize for #name {
                fn serialize<S: #k::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }
    });
    let deserialize = traits.deserialize.then(|| {
        quote! {
            #gate
            impl<'de> #k::__private::serde::Deserialize<'de> for #name {
                fn deserialize<D: #k::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #k::__private::deserialize_wire_str(deserializer, Self::from_wire)
                }
            }
        }
    });
    let validate = traits.validate.then(|| {
        quote! {
            #gate
            impl #k::Validate for #name {
                #[inline]
                fn validate_at(&self, path: &#k::validate::Path<'_>, out: &mut ::std::vec::Vec<#k::validate::Violation>) {
                    if let Self::Other(value) = self {
                        #k::__private::unlisted(&::core::format_args!("{value:?}"), path, out);
                    }
                }
            }

            #gate
            impl #k::__private::WireScalar for #name {
                fn wire_is_str(&self, s: &::core::primitive::str) -> ::core::primitive::bool {
                    self.as_str() == s
                }
            }
        }
    });
    quote! {
        #doc
        #gate
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub enum #name {
            #( #docs #idents, )*
            /// A value this schema does not list, kept as received.
            Other(::std::string::String),
        }

        #gate
        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &::core::primitive::str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Other(value) => value,
                }
            }

            /// The variant for a wire value; unlisted values land in `Other`.
            pub fn from_wire(value: &::core::primitive::str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Other(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        #gate
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #serialize
        #deserialize
        #validate
    }
}

/// An integer enum: the listed values by name, `Other` for the rest, and the number on the
/// wire.
pub(crate) fn int_enum(
    name: &str,
    doc: TokenStream,
    variants: &[IntVariant],
    traits: Traits,
    cx: &Cx<'_>,
) -> TokenStream {
    let k = &cx.settings.krate;
    let gate = &cx.gate;
    let name = ident(name);
    let idents: Vec<proc_macro2::Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    // A literal pattern cannot be `-1` in one token: write negative values as `-1` tokens.
    let patterns: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let abs = proc_macro2::Literal::u64_unsuffixed(v.value.unsigned_abs());
            if v.value < 0 {
                quote!(-#abs)
            } else {
                quote!(#abs)
            }
        })
        .collect();
    let docs = variants
        .iter()
        .map(|v| docs::doc_parts([Some(format!("`{}`", v.value).as_str()), v.doc.as_deref()]));
    let serialize = traits.serialize.then(|| {
        quote! {
            #gate
            impl #k::__private::serde::Serialize for #name {
                fn serialize<S: #k::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.as_i64())
                }
            }
        }
    });
    let deserialize = traits.deserialize.then(|| {
        quote! {
            #gate
            impl<'de> #k::__private::serde::Deserialize<'de> for #name {
                fn deserialize<D: #k::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #k::__private::deserialize_wire_i64(deserializer, Self::from_wire)
                }
            }
        }
    });
    let validate = traits.validate.then(|| {
        quote! {
            #gate
            impl #k::Validate for #name {
                #[inline]
                fn validate_at(&self, path: &#k::validate::Path<'_>, out: &mut ::std::vec::Vec<#k::validate::Violation>) {
                    if let Self::Other(value) = self {
                        #k::__private::unlisted(value, path, out);
                    }
                }
            }

            #gate
            impl #k::__private::WireScalar for #name {
                fn wire_is_int(&self, n: ::core::primitive::i128) -> ::core::primitive::bool {
                    ::core::primitive::i128::from(self.as_i64()) == n
                }
            }
        }
    });
    quote! {
        #doc
        #gate
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub enum #name {
            #( #docs #idents, )*
            /// A value this schema does not list, kept as received.
            Other(::core::primitive::i64),
        }

        #gate
        impl #name {
            /// The value on the wire.
            pub fn as_i64(&self) -> ::core::primitive::i64 {
                match self {
                    #( Self::#idents => #patterns, )*
                    Self::Other(value) => *value,
                }
            }

            /// The variant for a wire value; unlisted values land in `Other`.
            pub fn from_wire(value: ::core::primitive::i64) -> Self {
                match value {
                    #( #patterns => Self::#idents, )*
                    other => Self::Other(other),
                }
            }
        }

        #gate
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        #serialize
        #deserialize
        #validate
    }
}

/// An integer with named values: a newtype over the integer, its names as associated
/// constants; with `flags`, the bit operations of a mask.
pub(crate) fn integer(
    name: &str,
    doc: TokenStream,
    int: Int,
    consts: &[IntConst],
    flags: bool,
    traits: Traits,
    cx: &Cx<'_>,
) -> TokenStream {
    let k = &cx.settings.krate;
    let gate = &cx.gate;
    let name = ident(name);
    let repr = super::types::int_type(int);
    let consts = consts.iter().map(|c| {
        let cname = ident(&c.name);
        let abs = proc_macro2::Literal::u128_unsuffixed(c.value.unsigned_abs());
        let value = if c.value < 0 {
            quote!(-#abs)
        } else {
            quote!(#abs)
        };
        let doc = docs::doc_parts([Some(format!("`{}`", c.value).as_str()), c.doc.as_deref()]);
        quote! {
            #doc
            pub const #cname: Self = Self(#value);
        }
    });
    let serialize = traits.serialize.then(|| {
        quote! {
            #gate
            impl #k::__private::serde::Serialize for #name {
                fn serialize<S: #k::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    #k::__private::serde::Serialize::serialize(&self.0, serializer)
                }
            }
        }
    });
    let deserialize = traits.deserialize.then(|| {
        quote! {
            #gate
            impl<'de> #k::__private::serde::Deserialize<'de> for #name {
                fn deserialize<D: #k::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    <#repr as #k::__private::serde::Deserialize<'de>>::deserialize(deserializer).map(Self)
                }
            }
        }
    });
    let scalar = traits.validate.then(|| {
        quote! {
            #gate
            impl #k::__private::WireScalar for #name {
                fn wire_is_int(&self, n: ::core::primitive::i128) -> ::core::primitive::bool {
                    ::core::primitive::i128::from(self.0) == n
                }
            }
        }
    });
    let bits = flags.then(|| {
        quote! {
            #gate
            impl #name {
                /// Whether every bit of `other` is set here.
                pub fn contains(self, other: Self) -> ::core::primitive::bool {
                    self.0 & other.0 == other.0
                }
            }

            #gate
            impl ::core::ops::BitOr for #name {
                type Output = Self;
                fn bitor(self, other: Self) -> Self {
                    Self(self.0 | other.0)
                }
            }

            #gate
            impl ::core::ops::BitOrAssign for #name {
                fn bitor_assign(&mut self, other: Self) {
                    self.0 |= other.0;
                }
            }

            #gate
            impl ::core::ops::BitAnd for #name {
                type Output = Self;
                fn bitand(self, other: Self) -> Self {
                    Self(self.0 & other.0)
                }
            }
        }
    });
    quote! {
        #doc
        #gate
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::cmp::PartialOrd, ::core::cmp::Ord, ::core::default::Default)]
        pub struct #name(pub #repr);

        #gate
        impl #name {
            #( #consts )*
        }

        #gate
        impl ::core::convert::From<#repr> for #name {
            fn from(value: #repr) -> Self {
                Self(value)
            }
        }

        #gate
        impl ::core::convert::From<#name> for #repr {
            fn from(value: #name) -> Self {
                value.0
            }
        }

        #gate
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }

        #bits
        #serialize
        #deserialize
        #scalar
    }
}
