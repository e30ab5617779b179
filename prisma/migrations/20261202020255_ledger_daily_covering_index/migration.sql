-- DropIndex
DROP INDEX "Variation_queuedAt_idx";

-- CreateIndex
CREATE INDEX "Variation_queuedAt_idx" ON "Variation"("queuedAt", "status", "runId");
