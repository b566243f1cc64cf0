-- Whether any petition has a signature reading.
SELECT EXISTS (SELECT 1 FROM petition_signatures)
