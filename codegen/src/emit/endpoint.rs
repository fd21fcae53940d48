//! The marker type, its `Endpoint` impl, the reply's `Envelope` impl and per-item results.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, errors, ident, types, Marker};
use crate::model::{Endpoint, Int, Role, Side, TypeKind};
use crate::Settings;

/// Everything inside an endpoint's module.
pub(crate) fn items(
    ep: &Endpoint,
    common: &errors::Common<'_>,
    settings: &Settings,
    marker: Marker<'_>,
) -> TokenStream {
    let k = &settings.krate;
    let (marker_def, marker_path) = match marker {
        Marker::Inside => {
            let name = ident(&ep.marker);
            (Some(marker_struct(ep, &name)), quote!(#name))
        }
        Marker::Outside(name) => (None, quote!(super::#name)),
    };
    let rate = match &ep.rate_limit {
        Some(r) => {
            let n = r.per_second;
            quote!(::core::option::Option::Some(#k::endpoint::RateLimit { per_second: #n }))
        }
        None => quote!(::core::option::Option::None),
    };
    let batch = match &ep.batch {
        Some(b) => {
            let (wire, max) = (
                &b.wire,
                proc_macro2::Literal::usize_unsuffixed(b.max_items as usize),
            );
            quote!(::core::option::Option::Some(#k::endpoint::BatchField { wire_name: #wire, max_items: #max }))
        }
        None => quote!(::core::option::Option::None),
    };
    let examples = |list: &[crate::model::Example]| {
        let items = list.iter().map(|e| {
            let (name, json) = (&e.name, &e.json);
            quote!(#k::endpoint::Example { name: #name, json: #json })
        });
        quote!(&[ #( #items ),* ])
    };
    let (req_examples, resp_examples) = (
        examples(&ep.request_examples),
        examples(&ep.response_examples),
    );
    let path = &ep.path;

    let cx = types::Cx {
        settings,
        shared: Some(common.types.clone()),
        gate: None,
        types: &ep.types,
        shared_types: common.shared_types,
    };
    let request = types::message(
        "Request",
        "The request body.",
        &ep.request,
        Side::Request,
        &cx,
    );
    let response = types::message(
        "Response",
        "The reply body.",
        &ep.response,
        Side::Response,
        &cx,
    );
    let envelope = envelope_impl(ep, k);
    let type_defs = ep.types.iter().map(|t| types::type_def(t, &cx));
    let results = ep.types.iter().filter_map(|t| match &t.kind {
        TypeKind::Object {
            result_code: Some(code),
            ..
        } => Some(result_method(&t.name, code, k)),
        _ => None,
    });
    let error = errors::error_enum(ep, common, settings);
    let paginated = ep
        .pagination
        .as_ref()
        .map(|p| paginated_impl(p, &marker_path, k));
    let query_fields: Vec<_> = ep.request.fields.iter().filter(|f| f.query).collect();
    let extra_query = (!query_fields.is_empty()).then(|| {
        let pushes = query_fields.iter().map(|f| {
            let (field, wire) = (ident(&f.rust), &f.wire);
            if f.required {
                quote!(#k::__private::push_query(url, #wire, &request.#field);)
            } else {
                quote! {
                    if let ::core::option::Option::Some(value) = &request.#field {
                        #k::__private::push_query(url, #wire, value);
                    }
                }
            }
        });
        quote! {
            fn extra_query(request: &Request, url: &mut ::std::string::String) {
                #( #pushes )*
            }
        }
    });

    quote! {
        #marker_def

        impl #k::Endpoint for #marker_path {
            const PATH: &'static str = #path;
            const RATE_LIMIT: ::core::option::Option<#k::endpoint::RateLimit> = #rate;
            const BATCH: ::core::option::Option<#k::endpoint::BatchField> = #batch;
            const REQUEST_EXAMPLES: &'static [#k::endpoint::Example] = #req_examples;
            const RESPONSE_EXAMPLES: &'static [#k::endpoint::Example] = #resp_examples;
            type Request = Request;
            type Response = Response;
            type Error = Error;
            #extra_query
        }

        #request
        #response
        #envelope
        #( #type_defs )*
        #( #results )*
        #error
        #paginated
    }
}

fn paginated_impl(
    p: &crate::model::Pagination,
    marker: &TokenStream,
    k: &TokenStream,
) -> TokenStream {
    let main = style_body(&p.cursor, &p.complete, &[], true);
    let alternative = p.alternative.as_deref().map(|alt| {
        let body = style_body(&alt.cursor, &alt.complete, &alt.unset, false);
        let asked = ident(&alt.when_request);
        let answered = ident(&alt.when_response);
        let carried = match (alt.when_is_string, alt.when_response_optional) {
            (true, true) => {
                quote!(response.#answered.as_deref().is_some_and(|value| !value.is_empty()))
            }
            (true, false) => quote!(!response.#answered.is_empty()),
            (false, true) => quote!(response.#answered.is_some_and(|value| value != 0)),
            (false, false) => quote!(response.#answered != 0),
        };
        // The walk took the other way if its first request chose it, or the service answered
        // with its cursor.
        quote! {
            if request.#asked.is_some() || #carried {
                #body
            }
        }
    });
    quote! {
        impl #k::endpoint::Paginated for #marker {
            fn next_request(request: &Request, response: &Response) -> ::core::option::Option<Request> {
                #alternative
                #main
            }
        }
    }
}

/// One way of paging: `None` on the last page, else the next request with the cursor steps
/// applied and the `unset` fields cleared; as the function's tail, or returning from inside
/// an `if`.
fn style_body(
    cursor: &[crate::model::Cursor],
    complete: &crate::model::Complete,
    unset: &[String],
    tail: bool,
) -> TokenStream {
    use crate::model::{CompleteWhen, Cursor};
    let done = ident(&complete.field);
    let last = match (complete.when, complete.optional) {
        (CompleteWhen::Zero, _) => quote!(response.#done == 0),
        (CompleteWhen::NonZero, _) => quote!(response.#done != 0),
        // An absent cursor or list is as empty as an empty one.
        (CompleteWhen::Empty, true) => {
            quote!(match &response.#done {
                ::core::option::Option::Some(value) => value.is_empty(),
                ::core::option::Option::None => true,
            })
        }
        (CompleteWhen::Empty, false) => quote!(response.#done.is_empty()),
    };
    let steps = cursor.iter().map(|cursor| match cursor {
        Cursor::Copy(copy) => {
            let to = ident(&copy.to);
            let store = |value: TokenStream| {
                let value = if copy.owned {
                    quote!(::core::clone::Clone::clone(#value))
                } else {
                    quote!(*#value)
                };
                if copy.optional {
                    quote!(next.#to = ::core::option::Option::Some(#value);)
                } else {
                    quote!(next.#to = #value;)
                }
            };
            // An absent cursor leaves the request as it was: the pager then stops with a
            // repeated-cursor error rather than a silent end.
            reach(quote!(response), &copy.from, &store)
        }
        Cursor::BeforeSmallest(smallest) => {
            let (to, list, field) = (
                ident(&smallest.to),
                ident(&smallest.list),
                ident(&smallest.field),
            );
            let items = if smallest.list_optional {
                quote!(response.#list.iter().flatten())
            } else {
                quote!(response.#list.iter())
            };
            let values = if smallest.field_optional {
                quote!(#items.filter_map(|item| item.#field))
            } else {
                quote!(#items.map(|item| item.#field))
            };
            let value = quote!(smallest.saturating_sub(1));
            let store = if smallest.optional {
                quote!(next.#to = ::core::option::Option::Some(#value);)
            } else {
                quote!(next.#to = #value;)
            };
            // No items, no smaller value: the request stays as it was, which the pager
            // reports as a repeated cursor unless the reply said it was the last.
            quote! {
                if let ::core::option::Option::Some(smallest) = ::core::iter::Iterator::min(#values) {
                    #store
                }
            }
        }
        Cursor::Advance(advance) => {
            let (to, by) = (ident(&advance.to), ident(&advance.by));
            let int = types::int_type(advance.int);
            let start = if advance.optional {
                quote!(request.#to.unwrap_or(0))
            } else {
                quote!(request.#to)
            };
            let count = if advance.by_optional {
                quote!(response.#by.as_ref().map_or(0, ::std::vec::Vec::len))
            } else {
                quote!(response.#by.len())
            };
            let value = quote!(#start.saturating_add(<#int as ::core::convert::TryFrom<usize>>::try_from(#count).unwrap_or(#int::MAX)));
            if advance.optional {
                quote!(next.#to = ::core::option::Option::Some(#value);)
            } else {
                quote!(next.#to = #value;)
            }
        }
    });
    let unset = unset.iter().map(|name| {
        let name = ident(name);
        quote!(next.#name = ::core::option::Option::None;)
    });
    let next = if tail {
        quote!(::core::option::Option::Some(next))
    } else {
        quote!(return ::core::option::Option::Some(next);)
    };
    quote! {
        if #last {
            return ::core::option::Option::None;
        }
        let mut next = ::core::clone::Clone::clone(request);
        #( #steps )*
        #( #unset )*
        #next
    }
}

/// The code that reaches a reply field through `steps` (opening each `Option` on the way)
/// and stores it with `store`, which takes a reference to it.
fn reach(
    base: TokenStream,
    steps: &[(String, bool)],
    store: &dyn Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let Some(((name, optional), rest)) = steps.split_first() else {
        return TokenStream::new();
    };
    let name = ident(name);
    let here = quote!(#base.#name);
    match (rest.is_empty(), optional) {
        (true, true) => {
            let store = store(quote!(cursor));
            quote! {
                if let ::core::option::Option::Some(cursor) = &#here {
                    #store
                }
            }
        }
        (true, false) => {
            let store = store(quote!(cursor));
            quote! {
                let cursor = &#here;
                #store
            }
        }
        (false, true) => {
            let inner = reach(quote!(step), rest, store);
            quote! {
                if let ::core::option::Option::Some(step) = &#here {
                    #inner
                }
            }
        }
        (false, false) => reach(here, rest, store),
    }
}

fn marker_struct(ep: &Endpoint, name: &proc_macro2::Ident) -> TokenStream {
    let mut text = format!("`{}`: {}", ep.path, ep.summary);
    if let Some(r) = &ep.rate_limit {
        text.push_str(&format!(
            "\n\nRate limit: {} calls per second.",
            r.per_second
        ));
        if let Some(d) = &r.doc {
            text.push_str(&format!(" {d}"));
        }
    }
    if let Some(b) = &ep.batch {
        text.push_str(&format!(
            "\n\nBatch: at most {} `{}` items per request.",
            b.max_items, b.wire
        ));
    }
    let doc = docs::doc(&text);
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::default::Default,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
        )]
        pub struct #name;
    }
}

fn envelope_impl(ep: &Endpoint, k: &TokenStream) -> TokenStream {
    let field = |role: Role| {
        let f = ep
            .response
            .fields
            .iter()
            .find(|f| f.role == Some(role))
            .expect("the check stage guarantees every envelope role");
        ident(&f.rust)
    };
    let (status, code, info, display) = (
        field(Role::ActionStatus),
        field(Role::ErrorCode),
        field(Role::ErrorInfo),
        field(Role::ErrorDisplay),
    );
    quote! {
        impl #k::wire::Envelope for Response {
            fn action_status(&self) -> &#k::wire::ActionStatus {
                &self.#status
            }
            fn error_code(&self) -> ::core::primitive::i64 {
                self.#code
            }
            fn error_info(&self) -> &::core::primitive::str {
                &self.#info
            }
            fn error_display(&self) -> &::core::primitive::str {
                &self.#display
            }
        }
    }
}

fn result_method(
    type_name: &str,
    result_code: &crate::model::ResultCode,
    k: &TokenStream,
) -> TokenStream {
    let name = ident(type_name);
    let field = ident(&result_code.field);
    let code = match result_code.int {
        Int::I64 => quote!(self.#field),
        // A code past i64::MAX is no documented code: it lands in `Unknown` as the largest one.
        Int::U64 => {
            quote!(::core::convert::TryFrom::try_from(self.#field).unwrap_or(::core::primitive::i64::MAX))
        }
        Int::I32 | Int::U32 => quote!(::core::primitive::i64::from(self.#field)),
    };
    if result_code.ok.is_empty() {
        return quote! {
            impl #name {
                /// `Ok` when this item succeeded, otherwise its code as an [`Error`].
                pub fn result(&self) -> ::core::result::Result<(), Error> {
                    match #code {
                        0 => ::core::result::Result::Ok(()),
                        code => ::core::result::Result::Err(<Error as #k::ApiError>::from_code(code)),
                    }
                }
            }
        };
    }
    // Some codes of the table are successes of another kind: `result()` says which.
    let outcome = ident(&format!("{type_name}Outcome"));
    let variants = result_code.ok.iter().map(|ok| {
        let variant = ident(&ok.name);
        let doc = docs::doc(&format!("{}: {}.", ok.code, ok.en));
        quote!(#doc #variant,)
    });
    let arms = result_code.ok.iter().map(|ok| {
        let variant = ident(&ok.name);
        let n = proc_macro2::Literal::i64_unsuffixed(ok.code);
        quote!(#n => ::core::result::Result::Ok(#outcome::#variant),)
    });
    let outcome_doc = docs::doc(&format!(
        "How a `{type_name}` succeeded: with code 0, or with one of the codes the docs count as a success of another kind."
    ));
    quote! {
        #outcome_doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub enum #outcome {
            /// 0: done.
            Done,
            #( #variants )*
        }

        impl #name {
            /// How this item succeeded, or its code as an [`Error`].
            pub fn result(&self) -> ::core::result::Result<#outcome, Error> {
                match #code {
                    0 => ::core::result::Result::Ok(#outcome::Done),
                    #( #arms )*
                    code => ::core::result::Result::Err(<Error as #k::ApiError>::from_code(code)),
                }
            }
        }
    }
}
