"""The web plumbing: log-in and roles, CSRF, sessions, errors, headers, the API registry,
templates' helpers, form parsing and streamed downloads. Views build on it; nothing below the
views (services, store, insights, schemas) imports it."""
