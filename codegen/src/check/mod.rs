//! Stage 3: give the raw model meaning. Resolves type references and names, fits rules to
//! types, finds duplicate codes, checks embedded examples against the fields. Every problem in
//! every file is collected; an endpoint with problems is left out of the model so the good ones
//! still generate.

pub(crate) mod common;
mod errors;
mod examples;
mod fields;
pub(crate) mod names;
mod paging;
mod rules;
pub(crate) use rules::{check_rules, Target, TargetKind};
mod types;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::SourceFile;
use crate::model::{Endpoint, ErrorCode, Field, Message, Schema, Side, TypeDef};
use crate::parse::raw::RawEndpoint;
use crate::parse::{locate, SemPath};
use common::{CheckedEnvelope, CheckedErrors, CheckedShared};

/// Diagnostics of one file, located in its text.
pub(crate) struct FileCtx<'a> {
    file: &'a SourceFile,
    diagnostics: Diagnostics,
}

impl<'a> FileCtx<'a> {
    pub(crate) fn new(file: &'a SourceFile) -> Self {
        FileCtx {
            file,
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty()
    }

    pub(crate) fn error(
        &mut self,
        path: &SemPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let hint = hint.into();
        let mut d = Diagnostic::new(&self.file.display_path, path.to_string(), message)
            .at(locate(&self.file.text, path));
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.diagnostics.push(d);
    }
}

impl crate::diagnostic::Report for FileCtx<'_> {
    fn error(&mut self, at: &SemPath, message: String, hint: String) {
        FileCtx::error(self, at, message, hint);
    }
}

/// What one expansion checks: its parsed endpoint files, against common parts already checked
/// (`common::Checked*`, the directory's own or the built-in ones).
pub(crate) struct Parsed<'a> {
    pub(crate) common_errors: &'a CheckedErrors,
    /// Whether `common_errors` is the directory's own catalog or the built-in one.
    pub(crate) common_source: crate::model::CommonSource,
    pub(crate) envelope: &'a CheckedEnvelope,
    /// The files of `common/types/`.
    pub(crate) shared: &'a CheckedShared<'a>,
    /// Whether `shared` are the directory's own types or the built-in ones.
    pub(crate) types_source: crate::model::CommonSource,
    pub(crate) endpoints: Vec<(&'a SourceFile, RawEndpoint)>,
    /// Whether a client method is generated per endpoint (their names must not clash).
    pub(crate) client_methods: bool,
}

/// Checks every endpoint; returns the model of what is sound and every problem found, the
/// common parts' own first.
pub(crate) fn check(parsed: Parsed<'_>) -> (Schema, Diagnostics) {
    let client_methods = parsed.client_methods;
    let mut diagnostics = Vec::new();
    diagnostics.extend_from_slice(&parsed.common_errors.diagnostics);
    diagnostics.extend_from_slice(&parsed.envelope.diagnostics);
    let envelope_sound = parsed.envelope.diagnostics.is_empty();
    diagnostics.extend_from_slice(&parsed.shared.diagnostics);
    // Endpoints naming a broken shared type would only repeat its errors; with them all left
    // out, so are the shared types, as a broken endpoint is.
    let shared_sound = diagnostics.is_empty();
    let shared_types = if shared_sound {
        parsed.shared.types.clone()
    } else {
        Vec::new()
    };
    let common_errors = &parsed.common_errors.codes;
    let envelope = &parsed.envelope.fields;

    let mut endpoints: Vec<Endpoint> = Vec::new();
    let parsed_files: Vec<&SourceFile> = parsed.endpoints.iter().map(|(f, _)| *f).collect();
    // A command two services share names its client method `<service>_<command>`.
    let commands: Vec<Option<&str>> = parsed
        .endpoints
        .iter()
        .map(|(_, raw)| raw.path.split('/').nth(2))
        .collect();
    let shared: Vec<bool> = commands
        .iter()
        .map(|c| c.is_some() && commands.iter().filter(|o| *o == c).count() > 1)
        .collect();
    for ((file, raw), shared) in parsed.endpoints.into_iter().zip(shared) {
        let mut ctx = FileCtx::new(file);
        let endpoint = check_endpoint(
            &mut ctx,
            raw,
            &Context {
                common_errors,
                envelope,
                shared: &parsed.shared.table,
                shared_types: &shared_types,
            },
            shared,
        );
        let same_module =
            |e: &&Endpoint| e.service == endpoint.service && e.command == endpoint.command;
        if let Some(other) = endpoints.iter().find(same_module) {
            ctx.error(
                &SemPath::root().key("path"),
                format!("`{}` would be the module `{}::{}`, already generated from {}", endpoint.path, endpoint.service, endpoint.command, other.file),
                "each endpoint lives in one file, and two paths may not differ only in their version",
            );
        }
        // Every reply embeds the envelope: with a broken one, no endpoint can be generated.
        if ctx.diagnostics.is_empty() && envelope_sound && shared_sound {
            endpoints.push(endpoint);
        }
        diagnostics.append(&mut ctx.diagnostics);
    }

    check_client_methods(
        &endpoints,
        &parsed_files,
        client_methods.then_some(&mut diagnostics),
    );
    (
        Schema {
            common_errors: common_errors.clone(),
            common_source: parsed.common_source,
            common_doc: parsed.common_errors.doc.clone(),
            envelope: envelope.clone(),
            envelope_query: parsed.envelope.query.clone(),
            endpoints,
            shared_types,
            types_source: parsed.types_source,
        },
        diagnostics,
    )
}

/// What every endpoint is checked against.
pub(crate) struct Context<'a> {
    pub common_errors: &'a [ErrorCode],
    pub envelope: &'a [Field],
    pub shared: &'a types::SharedTable<'a>,
    pub shared_types: &'a [TypeDef],
}

/// Whether any endpoint's client method clashes with another's or with the client's own
/// methods; each clash is an error on the file.
fn check_client_methods(
    endpoints: &[Endpoint],
    files: &[&SourceFile],
    diagnostics: Option<&mut Diagnostics>,
) {
    // Without client methods to generate, there is nothing to clash.
    let Some(diagnostics) = diagnostics else {
        return;
    };
    for (i, ep) in endpoints.iter().enumerate() {
        let mut names = vec![ep.method.clone()];
        if ep.pagination.is_some() {
            names.push(format!("{}_pages", ep.method));
        }
        let earlier = endpoints[..i].iter().flat_map(|o| {
            let pages = o.pagination.as_ref().map(|_| format!("{}_pages", o.method));
            std::iter::once(o.method.clone()).chain(pages)
        });
        let taken: Vec<String> = earlier.collect();
        for name in names {
            let clash = if crate::emit::client::taken_method_names().any(|m| m == name) {
                Some("a method of the client itself".to_owned())
            } else if taken.contains(&name) {
                Some("the method of another endpoint".to_owned())
            } else {
                None
            };
            if let Some(what) = clash {
                let file = files.iter().find(|f| f.display_path == ep.file).copied();
                let position = file.and_then(|f| locate(&f.text, &SemPath::root().key("path")));
                diagnostics.push(
                    Diagnostic::new(&ep.file, "path", format!("the client method `{name}` for `{}` would clash with {what}", ep.path))
                        .at(position)
                        .hint("call this endpoint with `client.call::<Marker>(&request)`, or give it another command name"),
                );
            }
        }
    }
}

/// Checks one endpoint file. The result is meaningful only when `ctx` gained no diagnostics.
pub(crate) fn check_endpoint(
    ctx: &mut FileCtx<'_>,
    raw: RawEndpoint,
    with: &Context<'_>,
    shared_command: bool,
) -> Endpoint {
    let Context {
        common_errors,
        envelope,
        ..
    } = *with;
    let root = SemPath::root();
    let (service, command) = endpoint_path(ctx, &raw.path);
    let method = if shared_command {
        format!("{service}_{command}")
    } else {
        command.clone()
    };
    let marker = names::upper_camel(&command);

    let table = types::TypeTable::new(ctx, &raw.types, &marker, with.shared);
    table.check_cycles(ctx);
    let request_fields = fields::check_fields(
        ctx,
        &table,
        &root.key("request").key("fields"),
        &raw.request.fields,
    );
    fields::check_unique_names(
        ctx,
        &root.key("request").key("fields"),
        &request_fields,
        &[],
    );
    // Query parameters are request fields the client puts in the URL.
    let mut query_fields = fields::check_fields(ctx, &table, &root.key("query"), &raw.query);
    fields::check_unique_names(ctx, &root.key("query"), &query_fields, &request_fields);
    for (i, f) in query_fields.iter_mut().enumerate() {
        f.query = true;
        if !matches!(
            f.ty,
            crate::model::Ty::String
                | crate::model::Ty::Bool
                | crate::model::Ty::Int(_)
                | crate::model::Ty::Named {
                    kind: crate::model::NamedKind::Integer(_),
                    ..
                }
        ) {
            ctx.error(
                &root.key("query").index(i).key("type"),
                format!(
                    "a query parameter is a string, an integer or a bool, not {}",
                    f.ty
                ),
                "the URL carries text; put structured values in the body",
            );
        }
    }
    let mut request_fields = request_fields;
    request_fields.extend(query_fields);
    fields::check_no_default(ctx, &root.key("request").key("fields"), &request_fields);
    let mut response_fields = fields::check_fields(
        ctx,
        &table,
        &root.key("response").key("fields"),
        &raw.response.fields,
    );
    for (i, f) in response_fields.iter().enumerate() {
        if envelope.iter().any(|e| e.wire == f.wire) {
            ctx.error(
                &root.key("response").key("fields").index(i).key("name"),
                format!("`{}` is a field of the common envelope", f.wire),
                "every Response gets the envelope fields (ActionStatus, ErrorCode, ErrorInfo, ErrorDisplay); remove it here",
            );
        }
    }
    fields::check_unique_names(
        ctx,
        &root.key("response").key("fields"),
        &response_fields,
        envelope,
    );
    response_fields.extend(envelope.iter().cloned());

    let sides = table.sides(&request_fields, &response_fields);
    let type_defs = table.finish(ctx, &sides);
    let shared_used = table.shared_in(&sides);
    // A field dropped for a bad type or name would make the batch, paging and examples that
    // mention it fail too: report the cause only.
    let fields_sound = ctx.diagnostics.is_empty();

    let batch = raw.batch.as_ref().filter(|_| fields_sound).and_then(|b| {
        let path = root.key("batch");
        fields::check_batch(ctx, &path, b, &request_fields)
    });
    let pagination = raw
        .pagination
        .as_ref()
        .filter(|_| fields_sound)
        .and_then(|p| {
            paging::check_pagination(
                ctx,
                &root.key("pagination"),
                p,
                &request_fields,
                &response_fields,
                &|name| {
                    type_defs
                        .iter()
                        .chain(with.shared_types)
                        .find(|t| t.name == name)
                        .and_then(|t| match &t.kind {
                            crate::model::TypeKind::Object { fields, .. } => Some(fields.clone()),
                            _ => None,
                        })
                },
            )
        });
    let rate_limit = raw.rate_limit.map(|r| {
        if r.per_second == 0 {
            ctx.error(
                &root.key("rate_limit").key("per_second"),
                "the rate limit must be at least 1 call per second",
                "leave `rate_limit` out when the docs give none",
            );
        }
        crate::model::RateLimit {
            per_second: r.per_second,
            doc: r.doc,
        }
    });

    let errors = errors::check_codes(ctx, &root.key("errors"), &raw.errors, common_errors);
    let mut type_defs = type_defs;
    errors::resolve_ok_codes(ctx, &mut type_defs, &errors);

    let groups_of = |ctx: &mut FileCtx<'_>,
                     key: &str,
                     raw: &crate::parse::raw::RawMessage,
                     fields: &[Field]| {
        fields::check_groups(
            ctx,
            &root.key(key),
            fields::RawGroups {
                one_of: &raw.one_of,
                at_most_one_of: &raw.at_most_one_of,
                fields: &raw.fields,
            },
            fields,
        )
    };
    let request_groups = groups_of(ctx, "request", &raw.request, &request_fields);
    let response_groups = groups_of(ctx, "response", &raw.response, &response_fields);
    types::settle_eq(&mut type_defs, with.shared_types);
    let eq_of = |name: &str| {
        type_defs
            .iter()
            .chain(with.shared_types)
            .find(|d| d.name == name)
            .map_or(true, |d| d.eq)
    };
    let message_eq = |fields: &[Field]| fields.iter().all(|f| types::ty_eq(&f.ty, &eq_of));
    let request = Message {
        eq: message_eq(&request_fields),
        doc: raw.request.doc,
        fields: request_fields,
        groups: request_groups,
    };
    let response = Message {
        eq: message_eq(&response_fields),
        doc: raw.response.doc,
        fields: response_fields,
        groups: response_groups,
    };
    let examples_of = |ctx: &mut FileCtx<'_>, side: Side| {
        let (key, raw, message) = match side {
            Side::Request => ("request", &raw.examples.request, &request),
            Side::Response => ("response", &raw.examples.response, &response),
        };
        if !fields_sound {
            return Vec::new();
        }
        let path = root.key("examples").key(key);
        let types = examples::TypeLookup {
            own: &type_defs,
            shared: with.shared_types,
        };
        examples::check_examples(ctx, &path, raw, message, types, side)
    };
    let request_examples = examples_of(ctx, Side::Request);
    let response_examples = examples_of(ctx, Side::Response);

    Endpoint {
        file: ctx.file.display_path.clone(),
        path: raw.path,
        service,
        command,
        marker,
        summary: raw.summary,
        doc: raw.doc,
        doc_url: raw.doc_url,
        rate_limit,
        batch,
        pagination,
        method,
        request,
        response,
        types: type_defs,
        shared_used,
        errors,
        request_examples,
        response_examples,
    }
}

/// `v4/sns/friend_import` -> (`sns`, `friend_import`); `v4/ConfigSvc/GetIPList` ->
/// (`config_svc`, `get_ip_list`): modules are the snake_case of the path's segments.
fn endpoint_path(ctx: &mut FileCtx<'_>, path: &str) -> (String, String) {
    let parts: Vec<&str> = path.split('/').collect();
    let module = |s: &str| {
        let valid_segment = s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let snake = names::snake_case(s);
        (valid_segment && names::is_ident(&snake) && !names::is_keyword(&snake)).then_some(snake)
    };
    if let [version, service, command] = parts.as_slice() {
        if let (true, Some(service), Some(command)) =
            (version.starts_with('v'), module(service), module(command))
        {
            let marker = names::upper_camel(&command);
            if ["Request", "Response", "Error"].contains(&marker.as_str()) {
                ctx.error(
                    &SemPath::root().key("path"),
                    format!("the command `{command}` would name its marker type `{marker}`, which is one of the generated types"),
                    "such a command cannot be bound under this name; rename the file's `path` only if the service really calls it so",
                );
            }
            return (service, command);
        }
    }
    ctx.error(
        &SemPath::root().key("path"),
        format!("`{path}` is not an endpoint path"),
        "write it as in the URL, without the domain or a leading slash: `v4/<service>/<command>`, each an ASCII letter then letters, digits and `_`, such as `v4/sns/friend_import`",
    );
    ("invalid".to_owned(), "invalid".to_owned())
}

/// Where each named type is used.
pub(crate) type Sides = std::collections::HashMap<String, crate::model::Usage>;
