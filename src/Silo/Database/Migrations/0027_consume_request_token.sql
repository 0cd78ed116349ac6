-- The first attempt of a consume request that finds a job at once records itself inside the claim's own transaction
-- (one commit per consume instead of two): it inserts the row with attempt 1 and a token of its own, and its claim is
-- fenced on that token. Any later attempt bumps `attempt` and clears the token, which fences the first one off exactly
-- as a bumped attempt number does. NULL: the latest attempt was counted on its own (the fence is `attempt`).
ALTER TABLE consume_requests
    ADD COLUMN IF NOT EXISTS token CHAR(32) NULL;
