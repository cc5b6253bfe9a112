DROP INDEX outreach_clients_client;
DROP TABLE support_contacts;
DROP TABLE placements;
DROP TABLE lead_proposals;
DROP TABLE client_profiles;
DROP TABLE clients;
