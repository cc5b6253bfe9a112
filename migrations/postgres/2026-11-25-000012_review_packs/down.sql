DROP TABLE review_packs;
