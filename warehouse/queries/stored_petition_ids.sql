-- The petitions already stored, by platform and id: what a crawl without --refresh does not read again.
SELECT platform, petition_id FROM petitions
