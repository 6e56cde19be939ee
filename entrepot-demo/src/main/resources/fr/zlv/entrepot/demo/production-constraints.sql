-- Keys, foreign keys and indexes of the production tables, added after the rows are loaded.

ALTER TABLE buildings ADD PRIMARY KEY (id);
ALTER TABLE fast_housing ADD PRIMARY KEY (geo_code, id);
CREATE UNIQUE INDEX fast_housing_local_id_idx ON fast_housing (geo_code, local_id);
CREATE INDEX fast_housing_building_id_idx ON fast_housing (building_id);
ALTER TABLE owners ADD PRIMARY KEY (id);
ALTER TABLE owners_housing ADD PRIMARY KEY (owner_id, housing_id, housing_geo_code);
CREATE INDEX owners_housing_housing_idx ON owners_housing (housing_geo_code, housing_id);
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE housing_events ADD PRIMARY KEY (event_id, housing_id, housing_geo_code);
ALTER TABLE housing_document_events ADD PRIMARY KEY (event_id, housing_id, housing_geo_code, document_id);
ALTER TABLE owner_events ADD PRIMARY KEY (event_id, owner_id);
ALTER TABLE group_housing_events ADD PRIMARY KEY (event_id, housing_id, housing_geo_code);
ALTER TABLE establishments ADD PRIMARY KEY (id);
ALTER TABLE users ADD PRIMARY KEY (id);
ALTER TABLE campaigns ADD PRIMARY KEY (id);
ALTER TABLE campaigns_housing ADD PRIMARY KEY (campaign_id, housing_id, housing_geo_code);
ALTER TABLE groups ADD PRIMARY KEY (id);
ALTER TABLE groups_housing ADD PRIMARY KEY (group_id, housing_id, housing_geo_code);
ALTER TABLE geo_perimeters ADD PRIMARY KEY (id);
ALTER TABLE notes ADD PRIMARY KEY (id);
ALTER TABLE housing_notes ADD PRIMARY KEY (note_id, housing_id, housing_geo_code);
ALTER TABLE owner_notes ADD PRIMARY KEY (note_id, owner_id);

ALTER TABLE fast_housing ADD FOREIGN KEY (building_id) REFERENCES buildings (id);
ALTER TABLE owners_housing ADD FOREIGN KEY (owner_id) REFERENCES owners (id);
ALTER TABLE owners_housing ADD FOREIGN KEY (housing_geo_code, housing_id)
    REFERENCES fast_housing (geo_code, id) ON DELETE CASCADE;
ALTER TABLE users ADD FOREIGN KEY (establishment_id) REFERENCES establishments (id);
ALTER TABLE campaigns ADD FOREIGN KEY (establishment_id) REFERENCES establishments (id);
ALTER TABLE campaigns ADD FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE campaigns ADD FOREIGN KEY (group_id) REFERENCES groups (id);
ALTER TABLE campaigns_housing ADD FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE;
ALTER TABLE campaigns_housing ADD FOREIGN KEY (housing_geo_code, housing_id)
    REFERENCES fast_housing (geo_code, id) ON DELETE CASCADE;
ALTER TABLE groups ADD FOREIGN KEY (establishment_id) REFERENCES establishments (id);
ALTER TABLE groups ADD FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE groups_housing ADD FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE;
ALTER TABLE groups_housing ADD FOREIGN KEY (housing_geo_code, housing_id)
    REFERENCES fast_housing (geo_code, id) ON DELETE CASCADE;
ALTER TABLE events ADD FOREIGN KEY (created_by) REFERENCES users (id);
ALTER TABLE housing_events ADD FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE;
ALTER TABLE owner_events ADD FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE;
ALTER TABLE owner_events ADD FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE;
ALTER TABLE group_housing_events ADD FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE;
ALTER TABLE housing_document_events ADD FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE;
ALTER TABLE geo_perimeters ADD FOREIGN KEY (establishment_id) REFERENCES establishments (id);
ALTER TABLE housing_notes ADD FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE;
ALTER TABLE owner_notes ADD FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE;
ALTER TABLE owner_notes ADD FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE;
