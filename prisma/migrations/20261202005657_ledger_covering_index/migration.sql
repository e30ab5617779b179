-- DropIndex
DROP INDEX "Variation_targetId_queuedAt_idx";

-- CreateIndex
CREATE INDEX "Variation_ledger_idx" ON "Variation"("targetId", "queuedAt", "status", "runId", "attempt", "generation", "submittedAt", "finishedAt", "costUsd", "blockKind", "errorCode");
