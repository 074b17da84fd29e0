//! Self-tests of the harness with plain reqwest: the real tus server's protocol, hooks and
//! commit flow, and each proxy fault.

use std::fs;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hexin_core::package::manifest::is_safe_file_name;
use hexin_e2e::{sha256_file, sha256_hex, FaultProxy, LoggedRequest, TusServer};
use reqwest::{Client, Response, StatusCode};

const OCTETS: &str = "application/offset+octet-stream";

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("reqwest client")
}

/// A fresh tus server, the fault proxy in front of it, and a client.
fn proxied() -> (TusServer, FaultProxy, Client) {
    let server = TusServer::start();
    let proxy = FaultProxy::start(server.addr());
    (server, proxy, client())
}

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// POST a tus creation for `body`, with its SHA-256 in the metadata; returns the Location.
async fn create_checked(client: &Client, endpoint: &str, body: &[u8]) -> String {
    create(client, endpoint, body.len(), &[("sha256", &sha256_hex(body))]).await
}

/// POST a tus creation; returns the Location.
async fn create(
    client: &Client,
    endpoint: &str,
    length: usize,
    metadata: &[(&str, &str)],
) -> String {
    let metadata: Vec<String> = metadata
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect();
    let mut request = client
        .post(endpoint)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", length.to_string());
    if !metadata.is_empty() {
        request = request.header("Upload-Metadata", metadata.join(","));
    }
    let response = request.send().await.expect("POST");
    assert_eq!(response.status(), StatusCode::CREATED);
    response.headers()["location"]
        .to_str()
        .expect("Location")
        .to_owned()
}

async fn patch(
    client: &Client,
    url: &str,
    offset: usize,
    body: &[u8],
) -> reqwest::Result<Response> {
    client
        .patch(url)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", OCTETS)
        .body(body.to_vec())
        .send()
        .await
}

async fn head(client: &Client, url: &str) -> Response {
    client
        .head(url)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .expect("HEAD")
}

async fn offset(client: &Client, url: &str) -> usize {
    let response = head(client, url).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Uploads a whole material in one PATCH; returns its URL.
async fn upload_material(client: &Client, endpoint: &str, body: &[u8]) -> String {
    let sha = sha256_hex(body);
    let url = create(
        client,
        endpoint,
        body.len(),
        &[("kind", "material"), ("sha256", &sha)],
    )
    .await;
    let response = patch(client, &url, 0, body).await.expect("PATCH");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    url
}

/// Uploads a commit document; returns the final PATCH's status and body.
async fn upload_commit(
    client: &Client,
    endpoint: &str,
    doc: &serde_json::Value,
) -> (StatusCode, String) {
    let body = serde_json::to_vec(doc).unwrap();
    let sha = sha256_hex(&body);
    let url = create(
        client,
        endpoint,
        body.len(),
        &[("kind", "commit"), ("sha256", &sha)],
    )
    .await;
    let response = patch(client, &url, 0, &body).await.expect("PATCH");
    (response.status(), response.text().await.unwrap())
}

/// A commit document and its manifest text for `materials` (file name, bytes, upload URL).
fn commit_doc(package_id: &str, materials: &[(&str, &[u8], &str)]) -> serde_json::Value {
    let digest = sha256_hex(package_id.as_bytes());
    let entries: Vec<_> = materials
        .iter()
        .map(|(file, body, _)| serde_json::json!({"file": file, "sha256": sha256_hex(body)}))
        .collect();
    let manifest = serde_json::json!({
        "schema": "hexin.manifest", "version": 1, "package_id": package_id,
        "materials": entries, "seal": {"digest": digest},
    })
    .to_string();
    let listed: Vec<_> = materials
        .iter()
        .map(|(file, body, url)| serde_json::json!({"file": file, "sha256": sha256_hex(body), "url": url}))
        .collect();
    serde_json::json!({
        "schema": "hexin.commit", "version": 1, "package_id": package_id, "digest": digest,
        "manifest": manifest, "materials": listed,
    })
}

#[tokio::test]
async fn two_piece_upload_through_the_proxy_is_stored_whole() {
    let (server, proxy, client) = proxied();
    let body = bytes(100_000, 7);
    let sha = sha256_hex(&body);
    let url = create(
        &client,
        &proxy.url("/files/"),
        body.len(),
        &[("kind", "material"), ("sha256", &sha)],
    )
    .await;
    assert!(
        url.starts_with(&proxy.url("/files/")),
        "Location {url} names the proxy"
    );

    let first = patch(&client, &url, 0, &body[..40_000]).await.unwrap();
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_eq!(first.headers()["upload-offset"], "40000");
    assert_eq!(offset(&client, &url).await, 40_000);
    let second = patch(&client, &url, 40_000, &body[40_000..]).await.unwrap();
    assert_eq!(second.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset(&client, &url).await, body.len());

    assert_eq!(proxy.patch_bytes_forwarded(), body.len() as u64);
    let uploads = server.stored_uploads();
    assert_eq!(uploads.len(), 1);
    let stored = &uploads[0];
    assert!(url.ends_with(&stored.id));
    assert_eq!(
        (stored.size, stored.length),
        (body.len() as u64, Some(body.len() as u64))
    );
    assert_eq!(stored.metadata["sha256"], sha);
    assert_eq!(sha256_file(&stored.path), sha);
    let statuses: Vec<_> = proxy
        .requests()
        .into_iter()
        .map(|r| (r.method, r.status))
        .collect();
    let expected = [
        ("POST", 201),
        ("PATCH", 204),
        ("HEAD", 200),
        ("PATCH", 204),
        ("HEAD", 200),
    ];
    assert_eq!(statuses, expected.map(|(m, s)| (m.to_owned(), Some(s))));
}

#[tokio::test]
async fn a_wrong_sha256_is_rejected_with_460() {
    let server = TusServer::start();
    let client = client();
    let body = bytes(5_000, 1);
    let url = create(
        &client,
        &server.endpoint(),
        body.len(),
        &[("sha256", &sha256_hex(b"other"))],
    )
    .await;
    let response = patch(&client, &url, 0, &body).await.unwrap();
    assert_eq!(response.status().as_u16(), 460);
    assert_eq!(response.text().await.unwrap(), "sha256 mismatch");
}

#[tokio::test]
async fn a_commit_writes_the_package_and_may_be_repeated() {
    let server = TusServer::start();
    let client = client();
    let endpoint = server.endpoint();
    let (front, back) = (bytes(30_000, 3), bytes(20_000, 4));
    let front_url = upload_material(&client, &endpoint, &front).await;
    let back_url = upload_material(&client, &endpoint, &back).await;
    let package_id = "0123456789abcdef0123456789abcdef";
    let doc = commit_doc(
        package_id,
        &[
            ("id-card-front.jpg", &front, &front_url),
            ("id-card-back.jpg", &back, &back_url),
        ],
    );

    assert_eq!(
        upload_commit(&client, &endpoint, &doc).await,
        (StatusCode::NO_CONTENT, String::new())
    );
    let dir = server.packages_dir().join(package_id);
    let mut names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["id-card-back.jpg", "id-card-front.jpg", "manifest.json"]
    );
    assert_eq!(
        fs::read(dir.join("manifest.json")).unwrap(),
        doc["manifest"].as_str().unwrap().as_bytes()
    );
    assert_eq!(fs::read(dir.join("id-card-front.jpg")).unwrap(), front);
    assert_eq!(fs::read(dir.join("id-card-back.jpg")).unwrap(), back);

    // The same commit again is a success; only the package directory is in packages/.
    assert_eq!(
        upload_commit(&client, &endpoint, &doc).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(fs::read_dir(server.packages_dir()).unwrap().count(), 1);
    for upload in server.stored_uploads() {
        assert_eq!(upload.size, upload.length.unwrap());
        assert_eq!(sha256_file(&upload.path), upload.metadata["sha256"]);
    }
}

#[tokio::test]
async fn a_commit_naming_a_wrong_sha256_is_rejected_with_422() {
    let server = TusServer::start();
    let client = client();
    let endpoint = server.endpoint();
    let front = bytes(10_000, 5);
    let url = upload_material(&client, &endpoint, &front).await;
    let tampered = bytes(10_000, 6);
    let doc = commit_doc(
        "fedcba9876543210fedcba9876543210",
        &[("id-card-front.jpg", &tampered, &url)],
    );
    let (status, reason) = upload_commit(&client, &endpoint, &doc).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reason.contains("id-card-front.jpg"), "reason: {reason}");

    let missing = commit_doc(
        "fedcba9876543210fedcba9876543210",
        &[("id-card-front.jpg", &front, &format!("{endpoint}0000"))],
    );
    assert_eq!(
        upload_commit(&client, &endpoint, &missing).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let evil = commit_doc(
        "fedcba9876543210fedcba9876543210",
        &[("../x.jpg", &front, &url)],
    );
    assert_eq!(
        upload_commit(&client, &endpoint, &evil).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        fs::read_dir(server.packages_dir()).unwrap().count(),
        0,
        "no package, no temp dir"
    );
}

#[tokio::test]
async fn cut_after_fails_the_patch_and_leaves_a_partial_offset() {
    let (server, proxy, client) = proxied();
    let body = bytes(200_000, 9);
    let sha = sha256_hex(&body);
    let url = create_checked(&client, &proxy.url("/files/"), &body).await;

    proxy.cut_after(50_000);
    assert!(
        patch(&client, &url, 0, &body).await.is_err(),
        "the cut PATCH fails"
    );
    assert_eq!(proxy.patch_bytes_forwarded(), 50_000);
    let at = offset(&client, &url).await;
    assert!(at <= 50_000, "offset {at}");

    let rest = patch(&client, &url, at, &body[at..]).await.unwrap();
    assert_eq!(rest.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        proxy.patch_bytes_forwarded(),
        50_000 + (body.len() - at) as u64
    );
    assert_eq!(sha256_file(&server.stored_uploads()[0].path), sha);
    assert_eq!(
        proxy.requests()[1],
        LoggedRequest {
            method: "PATCH".into(),
            path: url[url.find("/files/").unwrap()..].into(),
            status: None
        }
    );
}

#[tokio::test]
async fn cut_after_the_whole_body_loses_only_the_response() {
    let (_server, proxy, client) = proxied();
    let body = bytes(10_000, 2);
    let url = create_checked(&client, &proxy.url("/files/"), &body).await;
    proxy.cut_after(body.len() as u64);
    assert!(patch(&client, &url, 0, &body).await.is_err());
    assert_eq!(offset(&client, &url).await, body.len());
}

#[tokio::test]
async fn reset_next_patch_forwards_nothing() {
    let (_server, proxy, client) = proxied();
    let url = create(&client, &proxy.url("/files/"), 1_000, &[]).await;
    proxy.reset_next_patch();
    assert!(patch(&client, &url, 0, &bytes(1_000, 0)).await.is_err());
    assert_eq!(proxy.patch_bytes_forwarded(), 0);
    assert_eq!(offset(&client, &url).await, 0);
}

#[tokio::test]
async fn stall_delays_the_patch_body() {
    let (_server, proxy, client) = proxied();
    let body = bytes(1_000, 0);
    let url = create_checked(&client, &proxy.url("/files/"), &body).await;
    proxy.stall(Duration::from_millis(600));
    let started = Instant::now();
    assert_eq!(
        patch(&client, &url, 0, &body).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert!(started.elapsed() >= Duration::from_millis(600));
}

#[tokio::test]
async fn respond_with_answers_then_forwards() {
    let (_server, proxy, client) = proxied();
    let url = create(&client, &proxy.url("/files/"), 3_000, &[]).await;
    proxy.respond_with(503, 2, Some(1));
    for _ in 0..2 {
        let response = patch(&client, &url, 0, &bytes(3_000, 0)).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()["retry-after"], "1");
    }
    assert_eq!(proxy.patch_bytes_forwarded(), 0);
    assert_eq!(offset(&client, &url).await, 0);
    let statuses: Vec<_> = proxy.requests().into_iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(201), Some(503), Some(503), Some(200)]);
}

#[tokio::test]
async fn gone_for_answers_410_for_that_upload_only() {
    let (_server, proxy, client) = proxied();
    let gone = create(&client, &proxy.url("/files/"), 10, &[]).await;
    let kept = create(&client, &proxy.url("/files/"), 10, &[]).await;
    proxy.gone_for(gone.rsplit('/').next().unwrap());
    assert_eq!(head(&client, &gone).await.status(), StatusCode::GONE);
    assert_eq!(
        patch(&client, &gone, 0, &[0; 10]).await.unwrap().status(),
        StatusCode::GONE
    );
    assert_eq!(offset(&client, &kept).await, 0);
    proxy.clear_faults();
    assert_eq!(offset(&client, &gone).await, 0);
}

#[tokio::test]
async fn restart_keeps_uploads_resumable() {
    let mut server = TusServer::start();
    let proxy = FaultProxy::start(server.addr());
    let client = client();
    let body = bytes(60_000, 8);
    let sha = sha256_hex(&body);
    let url = create_checked(&client, &proxy.url("/files/"), &body).await;
    assert_eq!(
        patch(&client, &url, 0, &body[..25_000])
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );

    server.restart();
    // A connection pooled before the restart may look alive until first used: start afresh.
    let client = self::client();
    assert_eq!(offset(&client, &url).await, 25_000);
    let rest = patch(&client, &url, 25_000, &body[25_000..]).await.unwrap();
    assert_eq!(rest.status(), StatusCode::NO_CONTENT);
    assert_eq!(sha256_file(&server.stored_uploads()[0].path), sha);
}

#[tokio::test]
async fn malformed_requests_close_only_their_connection() {
    use std::io::{Read, Write};
    let server = TusServer::start();
    let proxy = FaultProxy::start(server.addr());
    for junk in [
        &b"garbage\r\n\r\n"[..],
        &[b'x'; 20_000],
        b"PATCH /files/x HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
    ] {
        let mut socket = std::net::TcpStream::connect(proxy.addr()).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = socket.write_all(junk);
        let mut answer = Vec::new();
        let _ = socket.read_to_end(&mut answer);
        assert!(
            answer.is_empty() || answer.starts_with(b"HTTP/1.1 4"),
            "{answer:?}"
        );
    }
    let url = create(&client(), &proxy.url("/files/"), 10, &[]).await;
    assert_eq!(offset(&client(), &url).await, 0);
}

/// The server refuses exactly the file names a manifest refuses (and the outbox stores): one rule,
/// `manifest::is_safe_file_name`, in Rust and in the server.
#[tokio::test]
async fn the_server_and_the_manifest_share_one_file_name_rule() {
    let server = TusServer::start();
    let client = client();
    let endpoint = server.endpoint();
    let front = bytes(1_000, 3);
    let url = upload_material(&client, &endpoint, &front).await;
    let long = "n".repeat(128);
    let too_long = "n".repeat(129);
    let names = [
        "id-card-front.jpg", "a", "x..y", "id_card-2.JPG", &long, // safe
        "", ".hidden", "x.jpg.", "manifest.json", "身份证.jpg", "a b.jpg", "a/b", "../x.jpg", "nul.jpg",
        "COM1", "lpt9.txt", &too_long,
    ];
    for name in names {
        let doc = commit_doc("fedcba9876543210fedcba9876543210", &[(name, &front, &url)]);
        let (status, reason) = upload_commit(&client, &endpoint, &doc).await;
        let refused = status == StatusCode::UNPROCESSABLE_ENTITY && reason.contains("bad file name");
        assert_eq!(refused, !is_safe_file_name(name), "{name:?}: HTTP {status} {reason}");
    }
}
