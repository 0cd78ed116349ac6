-- A consume request is a testbox and its request id: testboxes choose their ids on their own (a counter, a "1"), so
-- the same id from two testboxes is two requests, each with its own attempts. Keyed by the id alone, a second testbox
-- reusing it bumped the first one's attempt, which fenced off the first testbox's claims and ended its long-poll early.
ALTER TABLE consume_requests DROP PRIMARY KEY, ADD PRIMARY KEY (testbox, request_id);
