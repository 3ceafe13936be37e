//! ConnectWise Asio (RMM) platform API client.
