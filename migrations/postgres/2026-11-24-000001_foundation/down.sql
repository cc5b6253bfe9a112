DROP TABLE contacts;
DROP TABLE employers;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE teams;
DROP TABLE organisations;
