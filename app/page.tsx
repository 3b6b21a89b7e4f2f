import { redirect } from "next/navigation";
import { currentUser } from "./_auth/session";

export default async function Home() {
  redirect((await currentUser()) ? "/memos" : "/signin");
}
