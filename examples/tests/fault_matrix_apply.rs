//! Fault matrix, sync applies: the whole job (Manage configuration creates and updates, ticket opens and a
//! close, Datto UDF and warranty write-back, Asio custom-field write-back) with each fault on one vendor's
//! writes. The executor's report must match what the fakes stored (nothing doubled, nothing reported that
//! was not stored, nothing stored that was not reported written or "outcome unknown"); a re-run then
//! completes without doubles and a third run writes nothing.
//! `cargo test -p psa-rmm-examples --test fault_matrix_apply -- --nocapture | grep '^CELL'` prints the rows
//! of RELIABILITY.md.

#[macro_use]
mod matrix;

use matrix::{OK, failed};
use psa_rmm_core::connector::ErrorKind;

cells! {
    apply;
    manage_429_retry_after: Manage Throttled429RetryAfter => OK;
    manage_429: Manage Throttled429 => OK;
    manage_500: Manage Status500 => failed(ErrorKind::Server, Some(500));
    manage_502: Manage Status502 => failed(ErrorKind::Server, Some(502));
    manage_503: Manage Status503 => failed(ErrorKind::Server, Some(503));
    manage_504: Manage Status504 => failed(ErrorKind::Server, Some(504));
    manage_dropped: Manage Dropped => failed(ErrorKind::Transport, None);
    manage_slow: Manage Slow => failed(ErrorKind::Transport, None);
    manage_truncated: Manage Truncated => failed(ErrorKind::Decode, Some(200));
    manage_broken_body: Manage BrokenBody => failed(ErrorKind::Transport, None);
    manage_html: Manage Html => failed(ErrorKind::Server, Some(503));
    manage_empty: Manage Empty => failed(ErrorKind::Decode, Some(200));
    manage_token_expired: Manage TokenExpired => failed(ErrorKind::Auth, Some(401));
    datto_429_retry_after: Datto Throttled429RetryAfter => OK;
    datto_429: Datto Throttled429 => OK;
    datto_500: Datto Status500 => OK;
    datto_502: Datto Status502 => OK;
    datto_503: Datto Status503 => OK;
    datto_504: Datto Status504 => OK;
    datto_dropped: Datto Dropped => OK;
    datto_slow: Datto Slow => OK;
    datto_truncated: Datto Truncated => OK;
    datto_broken_body: Datto BrokenBody => OK;
    datto_html: Datto Html => OK;
    datto_empty: Datto Empty => OK;
    datto_token_expired: Datto TokenExpired => OK;
    datto_ip_block: Datto DattoIpBlock => failed(ErrorKind::RateLimited, Some(403));
    asio_429_retry_after: Asio Throttled429RetryAfter => OK;
    asio_429: Asio Throttled429 => OK;
    asio_500: Asio Status500 => OK;
    asio_502: Asio Status502 => OK;
    asio_503: Asio Status503 => OK;
    asio_504: Asio Status504 => OK;
    asio_dropped: Asio Dropped => OK;
    asio_slow: Asio Slow => OK;
    asio_truncated: Asio Truncated => OK;
    asio_broken_body: Asio BrokenBody => OK;
    asio_html: Asio Html => OK;
    asio_empty: Asio Empty => failed(ErrorKind::Decode, Some(200));
    asio_token_expired: Asio TokenExpired => OK;
    asio_key_locked: Asio AsioKeyLocked => failed(ErrorKind::RateLimited, Some(423));
}
