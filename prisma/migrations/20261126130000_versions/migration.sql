-- CreateEnum
CREATE TYPE "VersionKind" AS ENUM ('automatic', 'named', 'restore', 'export');

-- AlterTable
ALTER TABLE "Memo" ADD COLUMN     "pendingEditorIds" UUID[] DEFAULT ARRAY[]::UUID[];

-- CreateTable
CREATE TABLE "MemoVersion" (
    "id" UUID NOT NULL,
    "memoId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "kind" "VersionKind" NOT NULL,
    "name" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,
    "editorIds" UUID[] DEFAULT ARRAY[]::UUID[],
    "snapshot" BYTEA NOT NULL,
    "contentHash" TEXT NOT NULL,
    "restoredFrom" INTEGER,

    CONSTRAINT "MemoVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemoVersionContent" (
    "memoId" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "jsonGzip" BYTEA NOT NULL,
    "words" INTEGER NOT NULL,

    CONSTRAINT "MemoVersionContent_pkey" PRIMARY KEY ("memoId","hash")
);

-- CreateTable
CREATE TABLE "MemoClientUser" (
    "memoId" UUID NOT NULL,
    "clientId" BIGINT NOT NULL,
    "userId" UUID NOT NULL,

    CONSTRAINT "MemoClientUser_pkey" PRIMARY KEY ("memoId","clientId")
);

-- CreateIndex
CREATE INDEX "MemoVersion_memoId_createdAt_idx" ON "MemoVersion"("memoId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "MemoVersion_memoId_number_key" ON "MemoVersion"("memoId", "number");

-- AddForeignKey
ALTER TABLE "MemoVersion" ADD CONSTRAINT "MemoVersion_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoVersion" ADD CONSTRAINT "MemoVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoVersion" ADD CONSTRAINT "MemoVersion_memoId_contentHash_fkey" FOREIGN KEY ("memoId", "contentHash") REFERENCES "MemoVersionContent"("memoId", "hash") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoVersionContent" ADD CONSTRAINT "MemoVersionContent_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoClientUser" ADD CONSTRAINT "MemoClientUser_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoClientUser" ADD CONSTRAINT "MemoClientUser_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

