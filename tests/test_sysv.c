/* test_sysv.c — SysV message queues end to end: every errno the model can return for
 * msgget/msgsnd/msgrcv/msgctl/kill, in the kernel's order, plus signals, the sender race
 * as the trace reports it, credentials, and the lecture demo's ipcs table.
 *
 * The object rules themselves are unit-tested in test_msgq.c and test_ipcns.c; these tests
 * go through the scenario language, the interpreter and the engine, as a user does.
 */
#include <string.h>

#include "msgsim/output/ipcs.h"
#include "tests.h"

/* ---- EINVAL, in do_msgsnd's order ---- */

static void test_sysv_msgsnd_larger_than_msgmax_is_einval(void)
{
	test_expect_label("sysv queue q key=1\n"
			  "process p { @s msgsnd q type=1 \"x\" size=8193 }\n"
			  "expect @s ok\n",
			  "s", EINVAL);
}

static void test_sysv_msgsnd_msgmax_follows_sysctl(void)
{
	test_expect_label(
		"sysctl msgmax=100\n"
		"sysv queue q key=1\n"
		"process p { msgsnd q type=1 \"x\" size=100  @s msgsnd q type=1 \"x\" size=101 }\n"
		"expect @s ok\n",
		"s", EINVAL);
}

static void test_sysv_msgsnd_type_below_one_is_einval_even_when_full_and_nowait(void)
{
	/* The type check comes before the fit test: EINVAL, not EAGAIN. */
	test_expect_label("sysv queue q key=1\n"
			  "process p { repeat 2 { msgsnd q type=1 \"x\" size=8192 }\n"
			  "            @s msgsnd q type=0 \"x\" nowait }\n"
			  "expect @s ok\n",
			  "s", EINVAL);
}

static void test_sysv_calls_on_a_removed_id_are_einval_not_eidrm(void)
{
	const char *text = "process p {\n"
			   "  msgget key=private create perm=0600 -> q\n"
			   "  msgctl q rmid\n"
			   "  @snd msgsnd q type=1 \"x\" nowait\n"
			   "  @rcv msgrcv q nowait\n"
			   "  @ctl msgctl q stat\n"
			   "}\n"
			   "expect @snd ok\nexpect @rcv ok\nexpect @ctl ok\n";
	test_expect_label(text, "snd", EINVAL);
	test_expect_label(text, "rcv", EINVAL);
	test_expect_label(text, "ctl", EINVAL);
}

static void test_sysv_failed_msgget_leaves_minus_one_which_is_einval(void)
{
	test_expect_label("process p { msgget key=0x77 -> q  @s msgsnd q type=1 \"x\" }\n"
			  "expect @s ok\n",
			  "s", EINVAL);
}

/* ---- msgget ---- */

static void test_sysv_msgget_missing_key_without_create_is_enoent(void)
{
	test_expect_label("process p { @g msgget key=0x42 -> q }\nexpect @g ok\n", "g", ENOENT);
}

static void test_sysv_msgget_create_excl_on_existing_key_is_eexist_before_eacces(void)
{
	/* A user with no rights at all still learns that the key exists. */
	test_expect_label("sysv queue q key=0x42 perm=0600\n"
			  "process u uid=1000 { @g msgget key=0x42 create excl perm=0666 -> x }\n"
			  "expect @g ok\n",
			  "g", EEXIST);
}

static void test_sysv_msgget_more_rights_than_granted_is_eacces(void)
{
	test_expect_label("sysv queue q key=0x42 perm=0640\n"
			  "process u uid=1000 gid=7 { @g msgget key=0x42 perm=0600 -> x }\n"
			  "expect @g ok\n",
			  "g", EACCES);
}

static void test_sysv_msgget_past_msgmni_is_enospc(void)
{
	test_expect_label(
		"sysctl msgmni=2\n"
		"process p { msgget key=private create -> a  msgget key=private create -> b\n"
		"            @g msgget key=private create -> c }\n"
		"expect @g ok\n",
		"g", ENOSPC);
}

static void test_sysv_ftok_key_is_built_from_dev_ino_and_id(void)
{
	TestRun r =
		test_run_text("file \"/f\" dev=0x01 ino=0x1c6c\n"
			      "process p { msgget key=ftok(\"/f\", 0x27) create perm=0666 -> q }\n"
			      "expect key=0x27011c6c id=0\n",
			      FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_EQUAL(r.verdict.passed, 1);
	test_run_free(&r);
}

/* ---- permissions and ownership ---- */

static void test_sysv_msgsnd_and_msgrcv_need_write_and_read_permission(void)
{
	const char *text = "sysv queue q key=9 perm=0604\n" /* others may read only */
			   "process u uid=1000 gid=1000 {\n"
			   "  @snd msgsnd q type=1 \"x\" nowait\n"
			   "  @rcv msgrcv q nowait\n"
			   "}\n"
			   "expect @snd ok\nexpect @rcv ok\n";
	test_expect_label(text, "snd", EACCES);
	test_expect_label(text, "rcv", ENOMSG); /* read is allowed: the queue is just empty */
}

static void test_sysv_ipc_owner_capability_bypasses_permissions(void)
{
	test_expect_label(
		"sysv queue q key=9 perm=0600\n"
		"process u uid=1000 caps=ipc_owner { @snd msgsnd q type=1 \"x\" nowait }\n"
		"expect @snd errno=EAGAIN\n",
		"snd", 0);
}

static void test_sysv_rmid_and_set_by_a_stranger_are_eperm(void)
{
	const char *text = "sysv queue q key=9 perm=0666\n"
			   "process u uid=1000 { @rm msgctl q rmid  @set msgctl q set mode=0600 }\n"
			   "expect @rm ok\nexpect @set ok\n";
	test_expect_label(text, "rm", EPERM);
	test_expect_label(text, "set", EPERM);
}

static void test_sysv_qbytes_above_msgmnb_needs_sys_resource(void)
{
	const char *text = "sysv queue q key=9\n"
			   "process root { @no msgctl q set qbytes=20000 }\n"
			   "process admin start=1ms caps=all { @yes msgctl q set qbytes=20000 }\n"
			   "expect @no ok\nexpect @yes ok\n";
	test_expect_label(text, "no", EPERM);
	test_expect_label(text, "yes", 0);
}

static void test_sysv_stat_needs_read_permission(void)
{
	test_expect_label("sysv queue q key=9 perm=0600\n"
			  "process u uid=1000 { @st msgctl q stat }\nexpect @st ok\n",
			  "st", EACCES);
}

static void test_sysv_msg_stat_takes_an_index_and_any_skips_the_permission(void)
{
	/* msgctl_stat by index: a free slot and one past the last are EINVAL; MSG_STAT needs
	 * read permission, MSG_STAT_ANY does not; both return the queue's id. */
#define AT_INDEX(i, cmd)                                                               \
	"sysv queue q key=9 perm=0600\n"                                                 \
	"process u uid=1000 { repeat " i " as i { @st msgctl i " cmd " } }\nexpect @st ok\n"
	test_expect_label(AT_INDEX("2", "msg_stat"), "st", EINVAL); /* i = 1: past slot 0 */
	test_expect_label("sysv queue q key=9 perm=0600\n"
			  "process u uid=1000 { repeat 1 as i { @st msgctl i msg_stat } }\n"
			  "expect @st ok\n",
			  "st", EACCES);
	test_expect_label("sysv queue q key=9 perm=0600\n"
			  "process u uid=1000 { repeat 1 as i { @st msgctl i msg_stat_any } }\n"
			  "expect @st ok\n",
			  "st", 0);
	test_expect_label(AT_INDEX("2", "msg_stat_any"), "st", EINVAL);
#undef AT_INDEX
}

static void test_sysv_seteuid_keeps_the_way_back(void)
{
	/* euid 1000 with real and saved uid 0: the effective capabilities go, uid 0 stays in
	 * reach, and coming back to it restores them */
	const char *queue = "sysv queue q key=9 perm=0600 uid=3\n"; /* not root's */
	g_autofree char *away = g_strconcat(queue, "process p { seteuid 1000  @s msgsnd q type=1 "
						   "\"x\" }\nexpect @s ok\n", NULL);
	test_expect_label(away, "s", EACCES);
	g_autofree char *back = g_strconcat(queue, "process p { seteuid 1000  seteuid 0  @s msgsnd "
						   "q type=1 \"x\" }\nexpect @s ok\n", NULL);
	test_expect_label(back, "s", 0);
	/* without CAP_SETUID only the real, effective or saved uid */
	test_expect_label("process p { seteuid 1000  @b seteuid 2000 }\nexpect @b ok\n", "b",
			  EPERM);
	test_expect_label("process p uid=7 { @s seteuid 7 }\nexpect @s ok\n", "s", 0);
	test_expect_label("process p uid=7 { @s seteuid 0 }\nexpect @s ok\n", "s", EPERM);
	test_expect_label("process p { @s seteuid 4294967295 }\nexpect @s ok\n", "s", EINVAL);
	/* an unprivileged setuid to the real uid moves only the euid: the saved 0 stays */
	test_expect_label("process p { seteuid 5  setuid 0  seteuid 5  @s seteuid 0 }\n"
			  "expect @s ok\n",
			  "s", 0);
	/* a privileged setuid moves all three: no way back */
	test_expect_label("process p { seteuid 0  setuid 5  @s seteuid 0 }\nexpect @s ok\n", "s",
			  EPERM);
	/* a child inherits the parted ids */
	test_expect_label("process p { seteuid 5  fork k { @s seteuid 0 }  wait k }\n"
			  "expect @s ok\n",
			  "s", 0);
}

static void test_sysv_setuid_away_from_root_drops_the_capabilities(void)
{
	/* uid 0 has CAP_SETUID whatever its caps=; leaving uid 0 clears every capability, so
	 * ipc_owner no longer opens a queue of mode 0600, and uid 0 is out of reach. */
	test_expect_label("sysv queue q key=9 perm=0600\n"
			  "process p caps=ipc_owner { setuid 1000  @s msgsnd q type=1 \"x\" }\n"
			  "expect @s ok\n",
			  "s", EACCES);
	test_expect_label("process p { setuid 1000  @b setuid 0 }\nexpect @b ok\n", "b", EPERM);
	test_expect_label("process p uid=7 { @s setuid 7 }\nexpect @s ok\n", "s", 0);
	/* (uid_t)-1 is no uid: EINVAL even for a process that could not take it anyway */
	test_expect_label("process p uid=7 { @s setuid 4294967295 }\nexpect @s ok\n", "s",
			  EINVAL);
	test_expect_label("process p uid=7 gid=7 { @g setgid 8 }\nexpect @g ok\n", "g", EPERM);
	test_expect_label("process p { @g setgid 8 }\nexpect @g ok\n", "g", 0);
}

/* ---- the other call results ---- */

static void test_sysv_full_queue_with_nowait_is_eagain(void)
{
	test_expect_label("sysv queue q key=1\n"
			  "process p { repeat 2 { msgsnd q type=1 \"x\" size=8192 }\n"
			  "            @s msgsnd q type=1 \"y\" nowait }\nexpect @s ok\n",
			  "s", EAGAIN);
}

static void test_sysv_no_matching_message_with_nowait_is_enomsg(void)
{
	test_expect_label(
		"sysv queue q key=1\n"
		"process p { msgsnd q type=1 \"x\"  @r msgrcv q type=2 nowait }\nexpect @r ok\n",
		"r", ENOMSG);
}

static void test_sysv_too_small_buffer_is_e2big_and_leaves_the_message(void)
{
	TestRun r =
		test_run_text("sysv queue q key=1\n"
			      "process p { msgsnd q type=1 \"hello\"  @r msgrcv q size=4 nowait }\n"
			      "expect @r ok\nexpect q qnum=1 cbytes=5\n",
			      FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "r"), E2BIG);
	CU_ASSERT_EQUAL(r.verdict.passed, 1); /* the statistics */
	test_run_free(&r);
}

static void test_sysv_noerror_truncates_the_text_to_the_buffer(void)
{
	TestRun r = test_run_text(
		"sysv queue q key=1\n"
		"process p { msgsnd q type=1 \"hello\"  msgrcv q size=4 noerror -> m }\n"
		"expect p received [1 \"hell\"]\n",
		FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	CU_ASSERT_STRING_EQUAL(test_run_recv_text(&r, "p", 0), "hell");
	test_run_free(&r);
}

static void test_sysv_msgsz_defaults_to_the_text_length(void)
{
	TestRun r = test_run_text("sysv queue q key=1\n"
				  "process p { msgsnd q type=1 \"twelve bytes\" }\n"
				  "expect q cbytes=12 qnum=1\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	test_run_free(&r);
}

static void test_sysv_rmid_fails_blocked_callers_with_eidrm(void)
{
	const char *text = "sysv queue q key=1\n"
			   "process r { @r msgrcv q }\n"
			   "process k start=1ms { msgctl q rmid }\n"
			   "expect @r ok\n";
	test_expect_label(text, "r", EIDRM);
}

/* ---- signals ---- */

static void test_sysv_caught_signal_interrupts_msgrcv_with_eintr(void)
{
	test_expect_label("sysv queue q key=1\n"
			  "process r { on SIGUSR1 handler  @r msgrcv q }\n"
			  "process k start=1ms { kill r SIGUSR1 }\n"
			  "expect @r ok\n",
			  "r", EINTR);
}

static void test_sysv_caught_signal_interrupts_msgsnd_with_eintr(void)
{
	test_expect_label(
		"sysv queue q key=1\n"
		"process s { on SIGTERM handler  repeat 2 { msgsnd q type=1 \"x\" size=8192 }\n"
		"            @s msgsnd q type=1 \"y\" }\n"
		"process k start=1ms { kill s SIGTERM }\n"
		"expect @s ok\n",
		"s", EINTR);
}

static void test_sysv_caught_signal_interrupts_sleep_with_eintr(void)
{
	TestRun r = test_run_text("process s { on SIGUSR2 handler  @z sleep 10ms }\n"
				  "process k start=1ms { kill s SIGUSR2 }\n"
				  "expect @z ok\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(test_run_label_err(&r, "z"), EINTR);
	CU_ASSERT(sim_world_now(r.w) < 2 * SIM_MS); /* it did not sleep the 10ms */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "SIGUSR2: handler runs"));
	test_run_free(&r);
}

static void test_sysv_default_action_kills_with_status_128_plus_signal(void)
{
	TestRun r = test_run_text("sysv queue q key=1\n"
				  "process v { msgrcv q }\n"
				  "process k start=1ms { kill v SIGUSR1 }\n",
				  FALSE, NULL);
	SimTask *v = test_run_task(&r, "v");
	CU_ASSERT_EQUAL(v->state, SIM_STATE_EXITED);
	CU_ASSERT_EQUAL(v->exit_code, 128 + SIGUSR1);
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_OK); /* nothing left blocked */
	test_run_free(&r);
}

static void test_sysv_ignored_signal_leaves_the_call_blocked(void)
{
	TestRun r =
		test_run_text("sysv queue q key=1\n"
			      "process v { on SIGUSR1 ignore  msgrcv q -> m }\n"
			      "process k start=1ms { kill v SIGUSR1  kill v SIGCHLD  sleep 1ms\n"
			      "                      msgsnd q type=1 \"late\" }\n"
			      "expect v received [\"late\"]\n",
			      FALSE, NULL);
	CU_ASSERT_EQUAL(r.verdict.failed, 0);
	test_run_free(&r);
}

static void test_sysv_kill_of_an_exited_process_is_esrch(void)
{
	test_expect_label("process v { exit 0 }\n"
			  "process k start=1ms { @k kill v SIGTERM }\nexpect @k ok\n",
			  "k", ESRCH);
}

static void test_sysv_sigkill_kills_even_a_process_with_handlers(void)
{
	TestRun r = test_run_text("sysv queue q key=1\n"
				  "process v { on SIGTERM handler  msgrcv q }\n"
				  "process k start=1ms { kill v SIGKILL }\n",
				  FALSE, NULL);
	CU_ASSERT_EQUAL(test_run_task(&r, "v")->exit_code, 128 + SIGKILL);
	test_run_free(&r);
}

/* ---- the race, deadlock and the lecture ---- */

static void test_sysv_trace_names_every_sender_in_a_race(void)
{
	TestRun r = test_run_text("sysv queue q key=1\n"
				  "process f { repeat 2 { msgsnd q type=1 \"x\" size=8192 } }\n"
				  "process a start=1ms { msgsnd q type=1 \"a\" size=8192 }\n"
				  "process b start=1ms { msgsnd q type=1 \"b\" size=8192 }\n"
				  "process r start=2ms { msgrcv q }\n"
				  "expect deadlock\n",
				  TRUE, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "wake-up scan on q woke a b: they race"));
	CU_ASSERT_EQUAL(r.verdict.exit_status, SIM_EXIT_OK);
	test_run_free(&r);
}

static void test_sysv_deadlock_lists_who_could_send(void)
{
	TestRun r = test_run_text("sysv queue q key=1\n"
				  "process r { msgrcv q }\n"
				  "process s { msgrcv q  msgsnd q type=1 \"x\" }\n",
				  TRUE, NULL);
	CU_ASSERT_EQUAL(r.w->status, SIM_RUN_DEADLOCK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "-- deadlock: r stuck in msgrcv q"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "waits for: s"));
	test_run_free(&r);
}

static void test_sysv_lecture_ipcs_table_matches_the_slide_columns(void)
{
	GString *text = g_string_new("user isscg uid=1000\n"
				     "sysv queue q key=0x27011c6c perm=0666 uid=1000 gid=1000\n"
				     "process sender uid=1000 {\n");
	for (int i = 0; i < 10; i++)
		g_string_append(text, "  msgsnd q type=1 \"name\" size=512\n");
	g_string_append(text, "}\n");
	TestRun r = test_run_text(text->str, FALSE, NULL);
	g_autoptr(GString) out = g_string_new(NULL);
	sim_ipcs_format(out, r.w, 'q');
	CU_ASSERT_STRING_EQUAL(
		out->str, "\n------ Message Queues --------\n"
			  "key        msqid      owner      perms      used-bytes   messages    \n"
			  "0x27011c6c 0          isscg      666        5120         10          \n"
			  "\n");
	test_run_free(&r);
	g_string_free(text, TRUE);
}

extern CU_TestInfo sysv_tests[];
CU_TestInfo sysv_tests[] = {
	{ "msgsnd larger than msgmax is EINVAL", test_sysv_msgsnd_larger_than_msgmax_is_einval },
	{ "msgsnd msgmax follows sysctl", test_sysv_msgsnd_msgmax_follows_sysctl },
	{ "msgsnd type below 1 is EINVAL even when full and nowait",
	  test_sysv_msgsnd_type_below_one_is_einval_even_when_full_and_nowait },
	{ "calls on a removed id are EINVAL, not EIDRM",
	  test_sysv_calls_on_a_removed_id_are_einval_not_eidrm },
	{ "a failed msgget leaves -1, which is EINVAL",
	  test_sysv_failed_msgget_leaves_minus_one_which_is_einval },
	{ "msgget of a missing key without create is ENOENT",
	  test_sysv_msgget_missing_key_without_create_is_enoent },
	{ "msgget create+excl on an existing key is EEXIST before EACCES",
	  test_sysv_msgget_create_excl_on_existing_key_is_eexist_before_eacces },
	{ "msgget asking more rights than granted is EACCES",
	  test_sysv_msgget_more_rights_than_granted_is_eacces },
	{ "msgget past msgmni is ENOSPC", test_sysv_msgget_past_msgmni_is_enospc },
	{ "ftok key is built from dev, ino and id",
	  test_sysv_ftok_key_is_built_from_dev_ino_and_id },
	{ "msgsnd and msgrcv need write and read permission",
	  test_sysv_msgsnd_and_msgrcv_need_write_and_read_permission },
	{ "CAP_IPC_OWNER bypasses permissions",
	  test_sysv_ipc_owner_capability_bypasses_permissions },
	{ "rmid and set by a stranger are EPERM", test_sysv_rmid_and_set_by_a_stranger_are_eperm },
	{ "qbytes above msgmnb needs CAP_SYS_RESOURCE",
	  test_sysv_qbytes_above_msgmnb_needs_sys_resource },
	{ "stat needs read permission", test_sysv_stat_needs_read_permission },
	{ "full queue with nowait is EAGAIN", test_sysv_full_queue_with_nowait_is_eagain },
	{ "no matching message with nowait is ENOMSG",
	  test_sysv_no_matching_message_with_nowait_is_enomsg },
	{ "too small buffer is E2BIG and leaves the message",
	  test_sysv_too_small_buffer_is_e2big_and_leaves_the_message },
	{ "MSG_NOERROR truncates the text to the buffer",
	  test_sysv_noerror_truncates_the_text_to_the_buffer },
	{ "msgsz defaults to the text length", test_sysv_msgsz_defaults_to_the_text_length },
	{ "IPC_RMID fails blocked callers with EIDRM",
	  test_sysv_rmid_fails_blocked_callers_with_eidrm },
	{ "caught signal interrupts msgrcv with EINTR",
	  test_sysv_caught_signal_interrupts_msgrcv_with_eintr },
	{ "caught signal interrupts msgsnd with EINTR",
	  test_sysv_caught_signal_interrupts_msgsnd_with_eintr },
	{ "caught signal interrupts sleep with EINTR",
	  test_sysv_caught_signal_interrupts_sleep_with_eintr },
	{ "default action kills with status 128+signal",
	  test_sysv_default_action_kills_with_status_128_plus_signal },
	{ "ignored signal leaves the call blocked",
	  test_sysv_ignored_signal_leaves_the_call_blocked },
	{ "kill of an exited process is ESRCH", test_sysv_kill_of_an_exited_process_is_esrch },
	{ "SIGKILL kills even a process with handlers",
	  test_sysv_sigkill_kills_even_a_process_with_handlers },
	{ "trace names every sender in a race", test_sysv_trace_names_every_sender_in_a_race },
	{ "deadlock lists who could send", test_sysv_deadlock_lists_who_could_send },
	{ "lecture ipcs table matches the slide columns",
	  test_sysv_lecture_ipcs_table_matches_the_slide_columns },
	{ "setuid away from root drops the capabilities",
	  test_sysv_setuid_away_from_root_drops_the_capabilities },
	{ "seteuid keeps the way back", test_sysv_seteuid_keeps_the_way_back },
	{ "MSG_STAT takes an index and MSG_STAT_ANY skips the permission",
	  test_sysv_msg_stat_takes_an_index_and_any_skips_the_permission },
	CU_TEST_INFO_NULL,
};
