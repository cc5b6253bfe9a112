DROP INDEX leads_org_updated;
