-- The site's own role (docs/deploy.md, "The database: two roles"), made once when the
-- compose file's PostgreSQL starts on an empty volume. Change the password with the URL.
CREATE ROLE helpdesk_site LOGIN PASSWORD 'site';
