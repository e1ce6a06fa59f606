//! The local preview server (being written).
