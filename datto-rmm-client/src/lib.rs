//! Datto RMM API v2 client.
