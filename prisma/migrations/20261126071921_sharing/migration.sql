-- CreateEnum
CREATE TYPE "MemoRole" AS ENUM ('owner', 'editor', 'commenter', 'viewer');

-- CreateEnum
CREATE TYPE "MemoAuditAction" AS ENUM ('invited', 'invite_revoked', 'invite_accepted', 'role_changed', 'removed', 'left', 'ownership_transferred');

-- CreateTable
CREATE TABLE "MemoMember" (
    "memoId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "MemoRole" NOT NULL,
    "invitedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemoMember_pkey" PRIMARY KEY ("memoId","userId")
);

-- CreateTable
CREATE TABLE "MemoInvite" (
    "id" UUID NOT NULL,
    "memoId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "MemoRole" NOT NULL,
    "invitedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemoInvite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemoAuditEvent" (
    "id" UUID NOT NULL,
    "memoId" UUID NOT NULL,
    "actorId" UUID,
    "action" "MemoAuditAction" NOT NULL,
    "targetUserId" UUID,
    "targetEmail" TEXT,
    "fromRole" "MemoRole",
    "toRole" "MemoRole",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemoAuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemoMember_userId_idx" ON "MemoMember"("userId");

-- CreateIndex
CREATE INDEX "MemoInvite_email_idx" ON "MemoInvite"("email");

-- CreateIndex
CREATE UNIQUE INDEX "MemoInvite_memoId_email_key" ON "MemoInvite"("memoId", "email");

-- CreateIndex
CREATE INDEX "MemoAuditEvent_memoId_createdAt_idx" ON "MemoAuditEvent"("memoId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "MemoMember" ADD CONSTRAINT "MemoMember_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoMember" ADD CONSTRAINT "MemoMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoMember" ADD CONSTRAINT "MemoMember_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoInvite" ADD CONSTRAINT "MemoInvite_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoInvite" ADD CONSTRAINT "MemoInvite_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoAuditEvent" ADD CONSTRAINT "MemoAuditEvent_memoId_fkey" FOREIGN KEY ("memoId") REFERENCES "Memo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoAuditEvent" ADD CONSTRAINT "MemoAuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoAuditEvent" ADD CONSTRAINT "MemoAuditEvent_targetUserId_fkey" FOREIGN KEY ("targetUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

