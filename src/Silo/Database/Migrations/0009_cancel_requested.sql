-- A held job that was cancelled: its testbox is told to abort on its next call.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS cancel_requested TINYINT NOT NULL DEFAULT 0;
