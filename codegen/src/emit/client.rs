//! The client `include_schema!(.., client = Client)` defines: a struct over the runtime client
//! that owns every method it offers. Its methods come from two places only: the per-endpoint
//! methods of the schema, and [`CLIENT_FORWARDS`], the runtime methods it passes on. The check
//! stage reads the names of the latter (and [`CLIENT_RESERVED`]) to refuse an endpoint whose
//! method would clash, so a method added here is checked without another list to update.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::{docs, ident};
use crate::model::Schema;
use crate::Settings;

/// A method of the generated client or builder that passes a call on to the runtime's.
pub(crate) struct Forward {
    pub name: &'static str,
    /// The whole method, given the crate path (`::tim_rest`).
    tokens: fn(&TokenStream) -> TokenStream,
}

/// The runtime client's methods the generated client offers too.
pub(crate) const CLIENT_FORWARDS: &[Forward] = &[
    Forward {
        name: "call",
        tokens: |k| {
            quote! {
                /// Calls endpoint `E`: validates the request (an invalid one is never sent), signs,
                /// sends, retries as the retry policy says, and decodes the reply.
                pub async fn call<E: #k::Endpoint>(
                    &self,
                    request: &E::Request,
                ) -> ::core::result::Result<E::Response, #k::Error<E::Error>> {
                    self.inner.call::<E>(request).await
                }
            }
        },
    },
    Forward {
        name: "call_with",
        tokens: |k| {
            quote! {
                /// [`call`](Self::call) with per-call settings: a caller-chosen `random`, another
                /// retry policy or timeout.
                pub async fn call_with<E: #k::Endpoint>(
                    &self,
                    request: &E::Request,
                    options: #k::client::CallOptions,
                ) -> ::core::result::Result<E::Response, #k::Error<E::Error>> {
                    self.inner.call_with::<E>(request, options).await
                }
            }
        },
    },
    Forward {
        name: "pages",
        tokens: |k| {
            quote! {
                /// Every page of `E`, starting from `first`: a stream of replies that ends after
                /// the page the service marks as the last.
                pub fn pages<E>(&self, first: E::Request) -> #k::client::Pages<E>
                where
                    E: #k::endpoint::Paginated + 'static,
                    E::Request: ::core::clone::Clone + ::core::cmp::PartialEq + 'static,
                {
                    self.inner.pages::<E>(first)
                }
            }
        },
    },
    Forward {
        name: "rate_limiter",
        tokens: |k| {
            quote! {
                /// The limiter in front of `E`: `None` unless the builder turned rate limits on
                /// and `E` has a rate limit.
                pub fn rate_limiter<E: #k::Endpoint>(
                    &self,
                ) -> ::core::option::Option<::std::sync::Arc<#k::client::RateLimiter>> {
                    self.inner.rate_limiter::<E>()
                }
            }
        },
    },
    Forward {
        name: "sdkappid",
        tokens: |_| {
            quote! {
                /// The application's SDKAppID.
                pub fn sdkappid(&self) -> ::core::primitive::u64 {
                    self.inner.sdkappid()
                }
            }
        },
    },
    Forward {
        name: "admin",
        tokens: |_| {
            quote! {
                /// The admin identifier calls are made as.
                pub fn admin(&self) -> &::core::primitive::str {
                    self.inner.admin()
                }
            }
        },
    },
    Forward {
        name: "base_url",
        tokens: |_| {
            quote! {
                /// The base URL, such as `https://adminapisgp.im.qcloud.com`, without a trailing
                /// slash.
                pub fn base_url(&self) -> &::core::primitive::str {
                    self.inner.base_url()
                }
            }
        },
    },
    Forward {
        name: "retry_policy",
        tokens: |k| {
            quote! {
                /// The retry policy of calls that do not set their own.
                pub fn retry_policy(&self) -> &#k::client::RetryPolicy {
                    self.inner.retry_policy()
                }
            }
        },
    },
];

/// Names an endpoint method may not take besides [`CLIENT_FORWARDS`]: the constructor and the
/// methods of the traits the client implements (`Clone`, `Debug`).
pub(crate) const CLIENT_RESERVED: &[&str] = &["builder", "clone", "clone_from", "fmt"];

/// Every name the client has before its endpoint methods.
pub(crate) fn taken_method_names() -> impl Iterator<Item = &'static str> {
    CLIENT_FORWARDS
        .iter()
        .map(|f| f.name)
        .chain(CLIENT_RESERVED.iter().copied())
}

/// A setter of the builder: `name(self, arg: ty) -> Self`, passed on to the runtime builder.
struct Setter {
    name: &'static str,
    doc: &'static str,
    /// The argument's type, or `None` for a setter without one.
    arg: Option<fn(&TokenStream) -> TokenStream>,
}

const BUILDER_SETTERS: &[Setter] = &[
    Setter {
        name: "sdkappid",
        doc: "The application's SDKAppID, from the console.",
        arg: Some(|_| quote!(::core::primitive::u64)),
    },
    Setter {
        name: "admin",
        doc: "The App admin identifier calls are made as (`identifier` in the URL).",
        arg: Some(|_| quote!(impl ::core::convert::Into<::std::string::String>)),
    },
    Setter {
        name: "secret_key",
        doc: "Sign with the application's secret key: UserSigs for the admin are generated, cached and renewed by the client.",
        arg: Some(|k| quote!(impl ::core::convert::Into<#k::usersig::SecretKey>)),
    },
    Setter {
        name: "usersig",
        doc: "Use this UserSig, signed elsewhere for the admin identifier, as it is.",
        arg: Some(|k| quote!(impl ::core::convert::Into<#k::usersig::UserSig>)),
    },
    Setter {
        name: "credentials",
        doc: "Either kind of credentials.",
        arg: Some(|k| quote!(#k::client::Credentials)),
    },
    Setter {
        name: "region",
        doc: "Call the data centre of `region` over https.",
        arg: Some(|k| quote!(#k::Region)),
    },
    Setter {
        name: "use_backup_domain",
        doc: "Use the region's backup domain instead of the main one. Ignored with `base_url`.",
        arg: Some(|_| quote!(::core::primitive::bool)),
    },
    Setter {
        name: "base_url",
        doc: "Call this base URL instead of a region's domain, such as a local emulator (`http://127.0.0.1:8080`). Plain `http` is accepted for loopback hosts only, unless `danger_allow_insecure_http`.",
        arg: Some(|_| quote!(impl ::core::convert::Into<::std::string::String>)),
    },
    Setter {
        name: "danger_allow_insecure_http",
        doc: "Accept a plain `http` base URL to any host. The UserSig then crosses the network in clear text: for test networks only.",
        arg: Some(|_| quote!(::core::primitive::bool)),
    },
    Setter {
        name: "connect_timeout",
        doc: "Connect timeout of the built-in transport (10 s by default).",
        arg: Some(|_| quote!(::core::time::Duration)),
    },
    Setter {
        name: "timeout",
        doc: "Longest time one attempt may take, from sending to the last byte of the reply (30 s by default).",
        arg: Some(|_| quote!(::core::time::Duration)),
    },
    Setter {
        name: "no_timeout",
        doc: "Removes the client's own per-attempt timeout.",
        arg: None,
    },
    Setter {
        name: "transport",
        doc: "Send through this transport instead of the built-in reqwest one (for example a `FakeTransport` in tests).",
        arg: Some(|k| quote!(impl #k::transport::Transport)),
    },
    Setter {
        name: "shared_transport",
        doc: "The same, for a transport already behind an `Arc`.",
        arg: Some(|k| quote!(::std::sync::Arc<dyn #k::transport::Transport>)),
    },
    Setter {
        name: "retry",
        doc: "Retry policy of every call (off by default); a call may override it.",
        arg: Some(|k| quote!(#k::client::RetryPolicy)),
    },
    Setter {
        name: "usersig_validity",
        doc: "Validity of the UserSigs the client generates from a secret key (7 days by default; at least a minute).",
        arg: Some(|_| quote!(::core::time::Duration)),
    },
    Setter {
        name: "rate_limits",
        doc: "Keeps the calls to each endpoint within the endpoint's schema rate limit, shared by every clone of the client; off by default.",
        arg: Some(|_| quote!(::core::primitive::bool)),
    },
];

/// The client struct, its builder, the forwarded methods and one method per endpoint.
pub(crate) fn client(schema: &Schema, name: &Ident, settings: &Settings) -> TokenStream {
    let k = &settings.krate;
    let builder = Ident::new(&format!("{name}Builder"), name.span());
    let forwards = CLIENT_FORWARDS.iter().map(|f| (f.tokens)(k));
    let endpoints = schema
        .endpoints
        .iter()
        .map(|ep| endpoint_methods(ep, settings));
    let setters = BUILDER_SETTERS.iter().map(|s| {
        let method = Ident::new(s.name, Span::call_site());
        let doc = docs::doc(s.doc);
        match s.arg {
            Some(ty) => {
                let ty = ty(k);
                quote! {
                    #doc
                    pub fn #method(self, value: #ty) -> Self {
                        #builder { inner: self.inner.#method(value) }
                    }
                }
            }
            None => quote! {
                #doc
                pub fn #method(self) -> Self {
                    #builder { inner: self.inner.#method() }
                }
            },
        }
    });
    let client_doc = docs::doc(&format!(
        "A client of the REST API with one method per endpoint (`client.{}(&request)`).\n\nCheap to clone (the state is shared), `Send` and `Sync`: build one with [`{name}::builder`] and share it. `Debug` shows the SDKAppID, the admin and the base URL, never a credential.",
        schema.endpoints.first().map_or("friend_import", |e| e.method.as_str())
    ));
    let builder_doc = docs::doc(&format!(
        "Configures a [`{name}`]. Required: `sdkappid`, `admin`, credentials (`secret_key` or `usersig`) and where to call (`region` or `base_url`); when a setting is given twice, the last one wins."
    ));
    quote! {
        #client_doc
        #[derive(::core::clone::Clone)]
        pub struct #name {
            inner: #k::__private::RuntimeClient,
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.inner, f)
            }
        }

        impl #name {
            /// Starts building a client.
            pub fn builder() -> #builder {
                #builder { inner: #k::__private::RuntimeClient::builder() }
            }

            #( #forwards )*

            #( #endpoints )*
        }

        #builder_doc
        #[must_use]
        #[derive(::core::fmt::Debug, ::core::default::Default)]
        pub struct #builder {
            inner: #k::__private::RuntimeClientBuilder,
        }

        impl #builder {
            #( #setters )*

            /// Checks the settings and builds the client.
            pub fn build(self) -> ::core::result::Result<#name, #k::client::BuildError> {
                ::core::result::Result::Ok(#name { inner: self.inner.build()? })
            }
        }
    }
}

/// `friend_import(&request)`, and `friend_get_pages(first)` for a paged read.
fn endpoint_methods(ep: &crate::model::Endpoint, settings: &Settings) -> TokenStream {
    let k = &settings.krate;
    let method = ident(&ep.method);
    let (service, command, marker) = (ident(&ep.service), ident(&ep.command), ident(&ep.marker));
    let gate = settings.service_features.then(|| {
        let feature = &ep.service;
        quote!(#[cfg(feature = #feature)])
    });
    let doc = docs::doc(&format!(
        "Calls `{}`: {}\n\nValidates the request first (an invalid one is never sent), then signs, sends and decodes it. See [`{}::{}::{}`].",
        ep.path, ep.summary, ep.service, ep.command, ep.marker
    ));
    let pages = ep.pagination.as_ref().map(|_| {
        let method = ident(&format!("{method}_pages"));
        let doc = docs::doc(&format!(
            "Every page of `{}`, starting from `first`: a stream of replies that ends after the page the service marks as the last.",
            ep.path
        ));
        quote! {
            #doc
            #gate
            pub fn #method(&self, first: #service::#command::Request) -> #k::client::Pages<#service::#command::#marker> {
                self.inner.pages::<#service::#command::#marker>(first)
            }
        }
    });
    // The runtime's future itself, not an `async fn` around it: a non-generic async fn would be
    // compiled here with the whole call state machine of its endpoint, 150 times over, even in
    // a crate that never calls it; this way that happens only where a method is awaited.
    quote! {
        #doc
        #gate
        pub fn #method<'a>(
            &'a self,
            request: &'a #service::#command::Request,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<#service::#command::Response, #k::Error<#service::#command::Error>>,
        > + 'a {
            self.inner.call::<#service::#command::#marker>(request)
        }
        #pages
    }
}
