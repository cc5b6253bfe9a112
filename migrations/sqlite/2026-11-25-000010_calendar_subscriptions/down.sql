DROP TABLE calendar_subscriptions;
