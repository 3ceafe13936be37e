//! Injection properties of the Datto client's URLs: a uid of any text stays one path segment.
//!
//! Requests go to httpmock on 127.0.0.1, which records the raw request target; each one must decode to
//! exactly the expected segments (the uid among them, byte for byte), with no query or fragment added.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

#[path = "../../test-support/url_injection.rs"]
mod url_injection;

use datto_rmm_client::budget::op;
use datto_rmm_client::{AlertUid, Budget, Client, SiteUid};
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;
use url_injection::{harness, nasty};

#[test]
fn uids_stay_one_path_segment() {
    let token = json!({"access_token": "tok", "expires_in": 360000});
    let h = harness("/auth/oauth/token", token, |base_url| {
        let fast = Budget::per_minute(600_000);
        Client::builder()
            .base_url(base_url)
            .api_key("KEY")
            .api_secret("SECRET")
            .allow_insecure_http(true)
            .read_budget(fast)
            .write_budget(fast)
            .operation_budget(op::DEVICE_MOVE, fast)
            .udf_budget(fast)
            .build()
            .unwrap()
    });
    let mut runner = TestRunner::new(Config::with_cases(96));
    runner
        .run(&(nasty(), nasty()), |(uid, other)| {
            let (u, o) = (uid.clone(), other.clone());
            h.check(&["api", "v2", "device", &uid], None, |c| async move {
                c.device(u.as_str()).get().await
            })?;
            let u = uid.clone();
            h.check(
                &["api", "v2", "site", &uid, "settings"],
                None,
                |c| async move { c.site(u.as_str()).settings().await },
            )?;
            let u = uid.clone();
            h.check(&["api", "v2", "alert", &uid], None, |c| async move {
                c.alerts().get(&AlertUid::new(u.as_str())).await
            })?;
            let u = uid.clone();
            h.check(
                &["api", "v2", "device", &uid, "udf"],
                None,
                |c| async move { c.device(u.as_str()).set_udf(1, o.as_str()).await },
            )?;
            let (u, o) = (uid.clone(), other.clone());
            h.check(
                &["api", "v2", "device", &uid, "site", &other],
                None,
                |c| async move {
                    c.device(u.as_str())
                        .move_to_site(&SiteUid::new(o.as_str()))
                        .await
                },
            )?;
            Ok(())
        })
        .unwrap();
    // 96 cases of 5 calls; only the UDF write may be refused before sending (values over 255 characters).
    assert!(
        h.sent.get() >= 400,
        "only {} calls reached the server",
        h.sent.get()
    );
}
