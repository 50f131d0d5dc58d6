//! The brewery twin.
