-- One signature snapshot per petition of temporary table _petitions; a reading already stored for the same
-- petition and time (the same file imported again) is not repeated.
INSERT INTO petition_signatures (petition_uid, observed_at, signatures, threshold)
SELECT petition_uid, observed_at, signatures, threshold FROM _petitions
ON CONFLICT (petition_uid, observed_at) DO NOTHING
