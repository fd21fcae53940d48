//! Building a client, and keeping secrets out of every `Debug` and `Display`.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{Import, ImportError, ImportRequest, ADMIN, KEY, SDKAPPID};
use tim_rest_runtime::client::{BuildError, CallOptions};
use tim_rest_runtime::transport::{FakeTransport, HttpResponse, TransportError};
use tim_rest_runtime::usersig::{self, SecretKey, UserSig, UserSigError};
use tim_rest_runtime::{
    ActionStatus, ApiError, Client, ClientBuilder, Credentials, Error, Region, RetryPolicy,
};

fn base() -> ClientBuilder {
    Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .transport(FakeTransport::new())
}

#[cfg(feature = "reqwest")]
#[test]
fn the_default_transport_is_built_in() {
    Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .region(Region::Frankfurt)
        .connect_timeout(Duration::from_secs(1))
        .no_timeout()
        .build()
        .unwrap();
}

#[cfg(not(feature = "reqwest"))]
#[test]
fn without_reqwest_a_transport_is_required() {
    let err = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .secret_key(KEY)
        .region(Region::Frankfurt)
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::Transport(_)), "{err:?}");
}

#[test]
fn client_is_clone_send_sync() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<Client>();
    fn send<T: Send>(_: T) {}
    let client = base().region(Region::China).build().unwrap();
    let request = ImportRequest::new("alice", &["bob"]);
    send(client.call::<Import>(&request));
}

#[test]
fn regions_pick_the_domain() {
    let c = base().region(Region::Singapore).build().unwrap();
    assert_eq!(c.base_url(), "https://adminapisgp.im.qcloud.com");
    let c = base()
        .region(Region::China)
        .use_backup_domain(true)
        .build()
        .unwrap();
    assert_eq!(c.base_url(), "https://adminapi.my-imcloud.com");
    assert_eq!(Region::Tokyo.domain(), "adminapijpn.im.qcloud.com");
    assert_eq!(
        Region::Jakarta.backup_domain(),
        "adminapiidn.my-imcloud.com"
    );
    assert_eq!(Region::ALL.len(), 8);
    assert_eq!(c.sdkappid(), SDKAPPID);
    assert_eq!(c.admin(), ADMIN);
}

#[test]
fn plain_http_is_for_loopback_only() {
    let err = base().base_url("http://example.com").build().unwrap_err();
    assert_eq!(
        err,
        BuildError::InsecureHttp {
            host: "example.com".into()
        }
    );
    assert!(err.to_string().contains("danger_allow_insecure_http"));
    let c = base()
        .base_url("http://example.com/")
        .danger_allow_insecure_http(true)
        .build()
        .unwrap();
    assert_eq!(c.base_url(), "http://example.com");
    for ok in [
        "http://127.0.0.1:8080",
        "http://localhost",
        "http://[::1]:1/prefix/",
        "https://example.com",
    ] {
        base().base_url(ok).build().unwrap();
    }
    assert!(matches!(
        base().base_url("example.com").build(),
        Err(BuildError::InvalidBaseUrl { .. })
    ));
    assert!(matches!(
        base().base_url("https://h/?usersig=x").build(),
        Err(BuildError::InvalidBaseUrl { .. })
    ));
}

#[test]
fn missing_settings_are_reported() {
    let missing = |b: ClientBuilder| match b.build() {
        Err(BuildError::Missing(what)) => what,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        missing(Client::builder().admin(ADMIN).secret_key(KEY)),
        "sdkappid"
    );
    assert_eq!(
        missing(Client::builder().sdkappid(1).secret_key(KEY)),
        "admin"
    );
    assert!(missing(Client::builder().sdkappid(1).admin(ADMIN)).contains("secret_key"));
    assert!(missing(Client::builder()).contains("sdkappid"));
    assert!(missing(base()).contains("region"));
    assert_eq!(
        base().admin("").region(Region::China).build().unwrap_err(),
        BuildError::EmptyAdmin
    );
    assert_eq!(
        base()
            .region(Region::China)
            .usersig_validity(Duration::from_secs(5))
            .build()
            .unwrap_err(),
        BuildError::UsersigValidityTooShort
    );
    // An admin the UserSig scheme cannot sign for fails at build time.
    let err = base()
        .admin("x".repeat(40))
        .region(Region::China)
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::Credentials(_)), "{err:?}");
}

#[test]
fn credentials_convert() {
    let c: Credentials = SecretKey::new(KEY).into();
    assert!(c.can_renew());
    let c: Credentials = UserSig::new("s").into();
    assert!(!c.can_renew());
    base().credentials(c).region(Region::China).build().unwrap();
}

fn assert_clean(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "secret found in: {text}");
    }
}

#[tokio::test]
async fn no_debug_or_display_carries_a_secret() {
    // A fixed UserSig that the fake transport will see, and the key behind another client.
    let fixed = usersig::generate(
        SDKAPPID,
        &SecretKey::new(KEY),
        ADMIN,
        Duration::from_secs(3600),
    )
    .unwrap();
    let fixed_text = fixed.expose_secret().to_owned();
    let secrets = [KEY, fixed_text.as_str()];

    let builder = base().usersig(fixed.clone()).region(Region::China);
    assert_clean(&format!("{builder:?}"), &secrets);
    let with_key = base().region(Region::China);
    assert_clean(&format!("{with_key:?}"), &secrets);
    let keyed_client = with_key.build().unwrap();
    assert_clean(&format!("{keyed_client:?}"), &secrets);
    assert_clean(
        &format!(
            "{:?} {:?}",
            Credentials::from(SecretKey::new(KEY)),
            Credentials::from(fixed.clone())
        ),
        &secrets,
    );

    let fake = FakeTransport::new();
    let client = Client::builder()
        .sdkappid(SDKAPPID)
        .admin(ADMIN)
        .usersig(fixed.clone())
        .base_url("https://fake.invalid")
        .transport(fake.clone())
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(
        debug.contains("1400000000") && debug.contains(ADMIN) && debug.contains("fake.invalid")
    );
    assert_clean(&debug, &secrets);

    // Every error kind.
    let leaky_url = format!("https://fake.invalid/v4/x?sdkappid=1&usersig={fixed_text}&random=1");
    fake.push_error(TransportError::connect(format!(
        "error sending request for url ({leaky_url})"
    )))
    .push_status(502, format!("<html>proxy error for {leaky_url}</html>"))
    .push_status(200, "not json")
    .push_json(json!({"ActionStatus": "FAIL", "ErrorCode": 30001, "ErrorInfo": "bad"}));
    let request = ImportRequest::new("alice", &["bob"]);
    let mut errors: Vec<Error<ImportError>> = Vec::new();
    for _ in 0..4 {
        errors.push(client.call::<Import>(&request).await.unwrap_err());
    }
    errors.push(
        client
            .call::<Import>(&ImportRequest::new("", &[]))
            .await
            .unwrap_err(),
    );
    errors.push(Error::Credentials(UserSigError::BadSignature));
    assert!(matches!(errors[0], Error::Transport(_)));
    assert!(matches!(errors[1], Error::HttpStatus { .. }));
    assert!(matches!(errors[2], Error::Decode { .. }));
    assert!(matches!(errors[3], Error::Api { .. }));
    assert!(matches!(errors[4], Error::InvalidRequest(_)));
    for error in &errors {
        let text = format!(
            "{error} | {error:?} | {:?}",
            std::error::Error::source(error)
        );
        assert_clean(&text, &secrets);
    }
    assert!(
        errors[0].to_string().contains("usersig=***"),
        "{}",
        errors[0]
    );
    assert!(format!("{:?}", errors[1]).contains("usersig=***"));

    // The requests the fake recorded hold the UserSig, but their Debug does not show it.
    let requests = fake.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(
        requests[0].query_param("usersig").as_deref(),
        Some(fixed_text.as_str())
    );
    for r in &requests {
        assert_clean(&format!("{r:?}"), &secrets);
        assert_clean(&r.redacted_url(), &secrets);
        assert!(r.redacted_url().contains("usersig=***"));
    }
    assert_clean(&format!("{fake:?}"), &secrets);
}

#[test]
fn error_helpers() {
    let api: Error<ImportError> = Error::Api {
        error: ImportError::from_code(30008),
        info: "conflict".into(),
        display: String::new(),
        action_status: ActionStatus::Fail,
    };
    assert_eq!(api.code(), Some(30008));
    assert_eq!(api.api_error(), Some(&ImportError::WriteConflict));
    assert!(api.is_retryable());
    assert!(!api.was_not_sent());
    let status: Error<ImportError> = Error::HttpStatus {
        status: 404,
        body_snippet: String::new(),
    };
    assert!(!status.is_retryable());
    assert_eq!(status.code(), None);
    let busy: Error<ImportError> = Error::HttpStatus {
        status: 504,
        body_snippet: String::new(),
    };
    assert!(busy.is_retryable());
}

#[test]
fn retry_policy_defaults() {
    assert_eq!(RetryPolicy::default(), RetryPolicy::none());
    assert_eq!(RetryPolicy::none().max_attempts(), 1);
    assert_eq!(RetryPolicy::standard().max_attempts(), 3);
    let client = base().region(Region::China).build().unwrap();
    assert_eq!(client.retry_policy(), &RetryPolicy::none());
    let options = CallOptions::new()
        .random(7)
        .retry(RetryPolicy::standard())
        .timeout(Duration::from_millis(250));
    assert_eq!(options.random, Some(7));
    assert_eq!(options.retry, Some(RetryPolicy::standard()));
    assert_eq!(options.timeout, Some(Duration::from_millis(250)));
    let empty = CallOptions::new();
    assert_eq!(empty.random, None);
    assert!(empty.retry.is_none() && empty.timeout.is_none());
    assert!(empty.limiter.is_none() && empty.hooks.is_none());
    assert_eq!(
        format!("{empty:?}"),
        "CallOptions { random: None, retry: None, timeout: None, limiter: false, hooks: false }"
    );
    let reply = HttpResponse::new(200, "{}");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, b"{}");
    assert_eq!(
        HttpResponse::json(&json!({"ErrorCode": 0})),
        HttpResponse::new(200, r#"{"ErrorCode":0}"#)
    );
}
