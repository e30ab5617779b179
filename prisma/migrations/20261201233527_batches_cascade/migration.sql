-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Batch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "instruction" TEXT NOT NULL,
    "negativePrompt" TEXT NOT NULL DEFAULT '',
    "params" TEXT NOT NULL,
    "targets" TEXT NOT NULL,
    "sharedReferenceIds" TEXT NOT NULL DEFAULT '[]',
    "webhookUrl" TEXT,
    "tokenId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "Batch_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Batch_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Batch" ("createdAt", "finishedAt", "id", "instruction", "negativePrompt", "params", "sessionId", "sharedReferenceIds", "status", "targets", "tokenId", "webhookUrl", "workspaceId") SELECT "createdAt", "finishedAt", "id", "instruction", "negativePrompt", "params", "sessionId", "sharedReferenceIds", "status", "targets", "tokenId", "webhookUrl", "workspaceId" FROM "Batch";
DROP TABLE "Batch";
ALTER TABLE "new_Batch" RENAME TO "Batch";
CREATE INDEX "Batch_workspaceId_createdAt_idx" ON "Batch"("workspaceId", "createdAt");
CREATE INDEX "Batch_status_idx" ON "Batch"("status");
CREATE TABLE "new_BatchItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "batchId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "referenceAssetId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL DEFAULT '',
    "runId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "submittedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "BatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_BatchItem" ("attempts", "batchId", "error", "fileName", "finishedAt", "id", "position", "referenceAssetId", "runId", "status", "submittedAt") SELECT "attempts", "batchId", "error", "fileName", "finishedAt", "id", "position", "referenceAssetId", "runId", "status", "submittedAt" FROM "BatchItem";
DROP TABLE "BatchItem";
ALTER TABLE "new_BatchItem" RENAME TO "BatchItem";
CREATE UNIQUE INDEX "BatchItem_runId_key" ON "BatchItem"("runId");
CREATE INDEX "BatchItem_batchId_status_idx" ON "BatchItem"("batchId", "status");
CREATE UNIQUE INDEX "BatchItem_batchId_position_key" ON "BatchItem"("batchId", "position");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
