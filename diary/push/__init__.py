"""Web Push: sending an encrypted push message to a browser's push service (``webpush``)."""
