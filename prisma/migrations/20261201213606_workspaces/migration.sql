-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The local owner's workspace: every existing session and tray item moves into it, and a
-- fresh clone needs no setup step.
INSERT INTO "Workspace" ("id", "name") VALUES ('local', 'Local studio');

-- CreateTable
CREATE TABLE "Draft" (
    "sessionId" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Draft_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Draft_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL DEFAULT 'local',
    "title" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "archivedAt" DATETIME,
    "deletedAt" DATETIME,
    CONSTRAINT "Session_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("archivedAt", "createdAt", "deletedAt", "id", "notes", "title", "updatedAt", "workspaceId") SELECT "archivedAt", "createdAt", "deletedAt", "id", "notes", "title", "updatedAt", 'local' FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE INDEX "Session_deletedAt_updatedAt_idx" ON "Session"("deletedAt", "updatedAt");
CREATE INDEX "Session_workspaceId_deletedAt_updatedAt_idx" ON "Session"("workspaceId", "deletedAt", "updatedAt");
CREATE TABLE "new_TrayItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL DEFAULT 'local',
    "assetId" TEXT NOT NULL,
    "variationId" TEXT,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrayItem_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_TrayItem" ("addedAt", "assetId", "id", "variationId", "workspaceId") SELECT "addedAt", "assetId", "id", "variationId", 'local' FROM "TrayItem";
DROP TABLE "TrayItem";
ALTER TABLE "new_TrayItem" RENAME TO "TrayItem";
CREATE UNIQUE INDEX "TrayItem_workspaceId_assetId_key" ON "TrayItem"("workspaceId", "assetId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
