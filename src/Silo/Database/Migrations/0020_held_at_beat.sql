-- The jobs a testbox held when it last beat, as the database saw them in the heartbeat's own statement. A job is
-- crashed for missed heartbeats only if its box beat while holding it: "did it beat after it took the job?" was
-- judged by comparing the job's boot time (stamped on its grain's silo clock) with the heartbeat deadline (the
-- database's clock), which a silo whose clock runs ahead got wrong.
ALTER TABLE testboxes ADD COLUMN IF NOT EXISTS held_at_beat TEXT NULL;
