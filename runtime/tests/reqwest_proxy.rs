//! The built-in transport ignores the proxy variables of the environment: a request to a
//! loopback `http` base URL carries the UserSig in its query, and must not travel in clear
//! text to whatever `HTTP_PROXY` names.
//!
//! This file holds a single test, in its own process, because it sets environment variables:
//! they are set before any runtime or client thread exists.
#![cfg(feature = "reqwest")]

mod support;

use std::time::Duration;

use support::{Import, ImportRequest, RawServer, TestServer, ADMIN, KEY, SDKAPPID};
use tim_rest_runtime::transport::{HttpRequest, Method, ReqwestTransport, Transport};
use tim_rest_runtime::Client;

const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

#[test]
fn proxy_variables_are_ignored_unless_the_caller_brings_a_client() {
    // The "proxy": answers 502 to anything it receives, and records it.
    let proxy_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", proxy_listener.local_addr().unwrap());
    for var in PROXY_VARS {
        std::env::set_var(var, &proxy_url);
    }
    for var in ["NO_PROXY", "no_proxy", "REQUEST_METHOD"] {
        std::env::remove_var(var);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let proxy = RawServer::from_std(
            proxy_listener,
            "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        let server = TestServer::start().await;

        // The client's own transport.
        let client = Client::builder()
            .sdkappid(SDKAPPID)
            .admin(ADMIN)
            .secret_key(KEY)
            .base_url(server.base_url())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let result = client
            .call::<Import>(&ImportRequest::new("alice", &["bob"]))
            .await;
        assert!(
            proxy.heads().is_empty(),
            "the proxy received {:?}",
            proxy.heads()
        );
        result.unwrap();
        assert_eq!(server.hits(), 1);

        // A transport built by the caller with `new`.
        let transport = ReqwestTransport::new().unwrap();
        let url = format!("{}/v4/probe?usersig=not-for-the-proxy", server.base_url());
        let reply = transport
            .send(HttpRequest::new(Method::Post, url.clone(), b"{}".to_vec()))
            .await
            .unwrap();
        assert_eq!(reply.status, 200);
        assert!(proxy.heads().is_empty(), "{:?}", proxy.heads());
        assert_eq!(server.hits(), 2);

        // A reqwest client the caller configured: its proxy settings are theirs to keep.
        let own = reqwest::Client::builder()
            .proxy(reqwest::Proxy::http(&proxy_url).unwrap())
            .build()
            .unwrap();
        let reply = ReqwestTransport::from_client(own)
            .send(HttpRequest::new(Method::Post, url, b"{}".to_vec()))
            .await
            .unwrap();
        assert_eq!(reply.status, 502);
        assert_eq!(proxy.heads().len(), 1);
        assert_eq!(server.hits(), 2);
    });
}
