"""Security primitives with no Flask and no SQL: password hashing (``passwords``) and one-time
codes for two-factor authentication (``otp``)."""
