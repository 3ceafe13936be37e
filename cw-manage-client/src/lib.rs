//! ConnectWise Manage (PSA) REST client.
