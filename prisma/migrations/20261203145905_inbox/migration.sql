-- CreateEnum
CREATE TYPE "InboxKind" AS ENUM ('mention', 'reply', 'shared', 'restored');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "inboxEmail" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "InboxItem" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" "InboxKind" NOT NULL,
    "memoId" UUID NOT NULL,
    "actorId" UUID,
    "commentId" UUID,
    "role" "MemoRole",
    "restoredFrom" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),
    "mailedAt" TIMESTAMP(3),

    CONSTRAINT "InboxItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InboxItem_userId_createdAt_idx" ON "InboxItem"("userId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "InboxItem_userId_readAt_idx" ON "InboxItem"("userId", "readAt");

-- CreateIndex
CREATE INDEX "InboxItem_createdAt_idx" ON "InboxItem"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxItem_userId_kind_commentId_key" ON "InboxItem"("userId", "kind", "commentId");

-- AddForeignKey
ALTER TABLE "InboxItem" ADD CONSTRAINT "InboxItem_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboxItem" ADD CONSTRAINT "InboxItem_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboxItem" ADD CONSTRAINT "InboxItem_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboxItem" ADD CONSTRAINT "InboxItem_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

