//! Tagged unions: an enum with a variant per documented tag, serialized as the tag and its
//! content side by side (`{ "MsgType": "TIMTextElem", "MsgContent": { .. } }`).

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{arg_type, conversion, in_constructor, rust_type, Cx, Traits};
use super::{docs, ident};
use crate::check::names;
use crate::model::{NamedKind, TagMatch, Tagged, Ty, TypeKind};

pub(crate) fn tagged(
    name: &str,
    doc: TokenStream,
    t: &Tagged,
    eq: bool,
    traits: Traits,
    cx: &Cx<'_>,
) -> TokenStream {
    let k = &cx.settings.krate;
    let gate = &cx.gate;
    let type_name = name;
    let name = ident(name);
    let (tag_key, content_key) = (&t.tag, &t.content);
    let (tag_field, content_field) = (ident(&t.tag_rust), ident(&t.content_rust));
    let value_ty = quote!(#k::__private::serde_json::Value);

    let variants = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = rust_type(&v.ty, cx);
        let what = match &v.tag {
            TagMatch::Exact(tag) => format!("`{tag}`"),
            TagMatch::Prefix(prefix) => {
                format!("Every tag starting `{prefix}`, kept in `{}`", t.tag_rust)
            }
        };
        let doc = docs::doc_parts([Some(what.as_str()), v.doc.as_deref()]);
        match &v.tag {
            TagMatch::Exact(_) => quote!(#doc #vname(#ty),),
            TagMatch::Prefix(_) => quote! {
                #doc
                #vname {
                    /// The tag on the wire.
                    #tag_field: ::std::string::String,
                    /// The content.
                    #content_field: #ty,
                },
            },
        }
    });
    let tag_arms = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        match &v.tag {
            TagMatch::Exact(tag) => quote!(Self::#vname(_) => #tag,),
            TagMatch::Prefix(_) => quote!(Self::#vname { #tag_field, .. } => #tag_field,),
        }
    });
    let constructors = t.variants.iter().filter_map(|v| constructor(v, t, cx));

    let serialize = traits.serialize.then(|| {
        let arms = t.variants.iter().map(|v| {
            let vname = ident(&v.name);
            match &v.tag {
                TagMatch::Exact(tag) => quote! {
                    Self::#vname(content) => #k::__private::serialize_tagged(serializer, #tag_key, #tag, #content_key, content),
                },
                TagMatch::Prefix(_) => quote! {
                    Self::#vname { #tag_field, #content_field } => #k::__private::serialize_tagged(serializer, #tag_key, #tag_field, #content_key, #content_field),
                },
            }
        });
        quote! {
            #gate
            impl #k::__private::serde::Serialize for #name {
                fn serialize<S: #k::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    match self {
                        #( #arms )*
                        Self::Other { #tag_field, #content_field } => #k::__private::serialize_tagged(serializer, #tag_key, #tag_field, #content_key, #content_field),
                    }
                }
            }
        }
    });

    let deserialize = traits.deserialize.then(|| {
        let arms = t.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let ty = rust_type(&v.ty, cx);
            match &v.tag {
                TagMatch::Exact(tag) => quote! {
                    #tag => <#ty as #k::__private::serde::Deserialize<'de>>::deserialize(content).map(Self::#vname),
                },
                TagMatch::Prefix(prefix) => quote! {
                    tag if tag.starts_with(#prefix) => ::core::result::Result::Ok(Self::#vname {
                        #tag_field: ::std::borrow::ToOwned::to_owned(tag),
                        #content_field: <#ty as #k::__private::serde::Deserialize<'de>>::deserialize(content)?,
                    }),
                },
            }
        });
        quote! {
            #gate
            impl #k::__private::Tagged for #name {
                const TAG: &'static ::core::primitive::str = #tag_key;
                const CONTENT: &'static ::core::primitive::str = #content_key;
                const NAME: &'static ::core::primitive::str = #type_name;

                fn from_content<'de, D: #k::__private::serde::Deserializer<'de>>(tag: &::core::primitive::str, content: D) -> ::core::result::Result<Self, D::Error> {
                    match tag {
                        #( #arms )*
                        tag => ::core::result::Result::Ok(Self::Other {
                            #tag_field: ::std::borrow::ToOwned::to_owned(tag),
                            #content_field: <#value_ty as #k::__private::serde::Deserialize<'de>>::deserialize(content)?,
                        }),
                    }
                }
            }

            #gate
            impl<'de> #k::__private::serde::Deserialize<'de> for #name {
                fn deserialize<D: #k::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #k::__private::deserialize_tagged(deserializer)
                }
            }
        }
    });

    let validate = traits.validate.then(|| {
        let arms = t.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let content_rules = crate::derive::validate::generated_rule_calls(&v.rules, k);
            let tag_rules = crate::derive::validate::generated_rule_calls(&v.tag_rules, k);
            let content = (!content_rules.is_empty()).then(|| {
                quote! {
                    let path = #k::validate::Path::Field(path, #content_key);
                    #content_rules
                }
            });
            match (&v.tag, content) {
                (TagMatch::Exact(_), Some(content)) => quote! {
                    Self::#vname(value) => { #content }
                },
                (TagMatch::Exact(_), None) => quote!(Self::#vname(_) => {}),
                (TagMatch::Prefix(_), content) => {
                    let check_tag = (!tag_rules.is_empty()).then(|| {
                        quote! {
                            let value = tag_value;
                            let path = #k::validate::Path::Field(path, #tag_key);
                            #tag_rules
                        }
                    });
                    let check_content = content.map(|content| {
                        quote! {
                            let value = content_value;
                            #content
                        }
                    });
                    // Bound under fixed names: the wire names may be `value` themselves.
                    let (tag_binding, content_binding) = (
                        if check_tag.is_some() {
                            quote!(#tag_field: tag_value)
                        } else {
                            quote!(#tag_field: _)
                        },
                        if check_content.is_some() {
                            quote!(#content_field: content_value)
                        } else {
                            quote!(#content_field: _)
                        },
                    );
                    quote! {
                        Self::#vname { #tag_binding, #content_binding } => {
                            { #check_tag }
                            #check_content
                        }
                    }
                }
            }
        });
        quote! {
            #gate
            impl #k::Validate for #name {
                #[inline]
                fn validate_at(&self, path: &#k::validate::Path<'_>, out: &mut ::std::vec::Vec<#k::validate::Violation>) {
                    match self {
                        #( #arms )*
                        Self::Other { #tag_field, .. } => {
                            #k::__private::unlisted(&::core::format_args!("{:?}", #tag_field), &#k::validate::Path::Field(path, #tag_key), out);
                        }
                    }
                }
            }
        }
    });

    let eq = eq.then(|| quote!(::core::cmp::Eq,));
    let other_doc =
        format!("A tag this schema does not list, kept with its `{content_key}` as received.");
    quote! {
        #doc
        #gate
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, #eq)]
        pub enum #name {
            #( #variants )*
            #[doc = #other_doc]
            Other {
                /// The tag on the wire.
                #tag_field: ::std::string::String,
                /// The content, as received.
                #content_field: #value_ty,
            },
        }

        #gate
        impl #name {
            /// The tag on the wire.
            pub fn tag(&self) -> &::core::primitive::str {
                match self {
                    #( #tag_arms )*
                    Self::Other { #tag_field, .. } => #tag_field,
                }
            }

            #( #constructors )*
        }

        #serialize
        #deserialize
        #validate
    }
}

/// `MsgElem::text("hi")`: the variant from what its content needs. An object content takes
/// the arguments of its own constructor; a prefix variant takes the tag first.
fn constructor(v: &crate::model::TaggedVariant, t: &Tagged, cx: &Cx<'_>) -> Option<TokenStream> {
    let fname = names::snake_case(&v.name);
    if fname == "tag" || names::is_keyword(&fname) {
        return None;
    }
    let fname = ident(&fname);
    let vname = ident(&v.name);
    let (params, content, what) = match &v.ty {
        Ty::Named {
            name,
            kind: NamedKind::Object,
            ..
        } => {
            let def = cx.def(name)?;
            let TypeKind::Object { fields, .. } = &def.kind else {
                return None;
            };
            let required: Vec<_> = fields.iter().filter(|f| in_constructor(f)).collect();
            let params: Vec<TokenStream> = required
                .iter()
                .map(|f| {
                    let arg = ident(&f.rust);
                    let ty = arg_type(&f.ty, cx);
                    quote!(#arg: #ty)
                })
                .collect();
            let args = required.iter().map(|f| ident(&f.rust));
            let ty = rust_type(&v.ty, cx);
            (
                params,
                quote!(#ty::new(#( #args ),*)),
                format!("its content from its required fields, as `{name}::new`"),
            )
        }
        other => {
            let arg = proc_macro2::Ident::new("value", proc_macro2::Span::call_site());
            let ty = arg_type(other, cx);
            let value = conversion(other, &arg).unwrap_or_else(|| quote!(value));
            (vec![quote!(value: #ty)], value, "its content".to_owned())
        }
    };
    let lint = (params.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    Some(match &v.tag {
        TagMatch::Exact(tag) => {
            let doc = docs::doc(&format!("A `{tag}` value, with {what}."));
            quote! {
                #doc
                #lint
                pub fn #fname(#( #params ),*) -> Self {
                    Self::#vname(#content)
                }
            }
        }
        TagMatch::Prefix(prefix) => {
            let doc = docs::doc(&format!(
                "A value whose tag starts `{prefix}` (`tag` is the whole tag), with {what}."
            ));
            let (tag_field, content_field) = (ident(&t.tag_rust), ident(&t.content_rust));
            quote! {
                #doc
                #lint
                pub fn #fname(tag: impl ::core::convert::Into<::std::string::String>, #( #params ),*) -> Self {
                    Self::#vname {
                        #tag_field: ::core::convert::Into::into(tag),
                        #content_field: #content,
                    }
                }
            }
        }
    })
}
