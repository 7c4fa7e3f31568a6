/*
 * test_record.c: the exact bytes of serialized records.  Fixed events go
 * through what the pipeline thread runs for each (chain_begin,
 * record_syscall, enrich_call, chain_end) and the lines must equal
 * golden strings taken from the serializer before it was optimized: the
 * log format and the hash chain may not change by a byte.  Also the
 * value writers on their edge cases (timestamps, integers).
 */
#include "log/record.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <netinet/in.h>

#include "decode/blob.h"
#include "decode/syscalls.h"
#include "enrich/enrich.h"
#include "lib/json.h"
#include "log/chain.h"
#include "unit.h"

/* Appends a blob record (blob.h) for argument `arg` to ev's blob. */
static void add_rec(struct call_event *ev, int arg, int type, int flags,
		    const void *data, size_t len)
{
	struct blob_rec h = { .arg = (uint8_t)arg, .type = (uint8_t)type,
			      .flags = (uint8_t)flags, .len = (uint32_t)len };
	char *b = realloc(ev->blob, ev->blob_len + sizeof(h) + len);

	if (b == NULL)
		abort();
	memcpy(b + ev->blob_len, &h, sizeof(h));
	if (len)
		memcpy(b + ev->blob_len + sizeof(h), data, len);
	ev->blob = b;
	ev->blob_len += (uint32_t)(sizeof(h) + len);
}

static void add_str(struct call_event *ev, int arg, const char *s)
{
	add_rec(ev, arg, BR_BYTES, 0, s, strlen(s));
}

static struct call_event call(int nr, uint64_t a0, uint64_t a1, uint64_t a2,
			      int64_t ret)
{
	static int n;
	struct call_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_SYSCALL;
	ev.abi = ABI_X86_64;
	ev.pid = 4242;
	ev.tid = 4243;
	ev.nr = nr;
	ev.args[0] = a0;
	ev.args[1] = a1;
	ev.args[2] = a2;
	ev.ret = ret;
	ev.is_error = ret < 0 && ret > -4096;
	/* seconds that change, stay, and cross a day and a year */
	ev.ts_sec = (int64_t[]){ 1795867199, 1795867199, 1795867200,
				 1798761599, 1798761600, 951782400,
				 0 }[n % 7];
	ev.ts_nsec = (int32_t[]){ 0, 999999999, 1, 123456789, 500000000,
				  42, 7 }[n % 7];
	ev.dur_ns = 1000 + (uint64_t)n * 337;
	n++;
	return ev;
}

/* The lines of the events below, as the serializer wrote them. */
static const char golden_lines[] =
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":0,\"ts\":"
	"\"2026-11-28T11:59:59.000000000Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"openat\",\"nr\":257,\"args\":{\"di"
	"rfd\":\"AT_FDCWD\",\"pathname\":\"/etc/ld.so.cache\",\"flags\":"
	"\"O_RDONLY|O_CLOEXEC\",\"mode\":0},\"raw\":[18446744073709551516"
	",140737488347136,524288,0,0,0],\"ret\":3,\"dur_ns\":1000,\"fds\""
	":{\"ret\":{\"type\":\"file\",\"path\":\"/etc/ld.so.cache\",\"cla"
	"ss\":\"system_config\"}},\"paths\":{\"pathname\":{\"abs\":\"/etc"
	"/ld.so.cache\",\"class\":\"system_config\"}},\"class\":\"system_"
	"config\",\"prev\":\"00000000000000000000000000000000000000000000"
	"00000000000000000000\",\"hash\":\"7d5a508204c378025beadf20ee4462"
	"ea2998d61153bd5d7abb13404d757fe574\"}\n"
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":1,\"ts\":"
	"\"2026-11-28T11:59:59.999999999Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"read\",\"nr\":0,\"args\":{\"fd\":3"
	",\"buf\":\"0x55d0c0ffee00\",\"count\":832},\"raw\":[3,9435507955"
	"6608,832,0,0,0],\"ret\":832,\"dur_ns\":1337,\"fds\":{\"fd\":{\"t"
	"ype\":\"file\",\"path\":\"/etc/ld.so.cache\",\"class\":\"system_"
	"config\"}},\"class\":\"system_config\",\"prev\":\"7d5a508204c378"
	"025beadf20ee4462ea2998d61153bd5d7abb13404d757fe574\",\"hash\":\""
	"e8db810f5a6c43056b31c5664ef22f1d8b87d44525c8d4a7a0d6bdbcf104309d"
	"\"}\n"
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":2,\"ts\":"
	"\"2026-11-28T12:00:00.000000001Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"openat\",\"nr\":257,\"args\":{\"di"
	"rfd\":3,\"pathname\":\"sub/\\\"q\\\"\\\\\\\\x\\n\\\\xff\303\251"
	"\",\"flags\":\"O_WRONLY|O_CREAT\",\"mode\":0},\"raw\":[3,1407374"
	"88347392,65,0,0,0],\"ret\":-1,\"errno\":\"EACCES\",\"errno_nr\":"
	"13,\"dur_ns\":1674,\"fds\":{\"dirfd\":{\"type\":\"file\",\"path"
	"\":\"/etc/ld.so.cache\",\"class\":\"system_config\"}},\"paths\":"
	"{\"pathname\":{\"abs\":\"/etc/ld.so.cache/sub/\\\"q\\\"\\\\\\\\x"
	"\\n\\\\xff\303\251\",\"class\":\"system_config\"}},\"class\":\"s"
	"ystem_config\",\"prev\":\"e8db810f5a6c43056b31c5664ef22f1d8b87d4"
	"4525c8d4a7a0d6bdbcf104309d\",\"hash\":\"ab616e835b079135f89e1db1"
	"b3bf15289b29cf9d861510f7c6da9405e95ceff1\"}\n"
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":3,\"ts\":"
	"\"2026-12-31T23:59:59.123456789Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"connect\",\"nr\":42,\"args\":{\"so"
	"ckfd\":5,\"addr\":{\"family\":\"AF_INET\",\"addr\":\"10.0.0.1\","
	"\"port\":443},\"addrlen\":16},\"raw\":[5,140720308486160,16,0,0,"
	"0],\"ret\":-1,\"errno\":\"E4000\",\"errno_nr\":4000,\"dur_ns\":2"
	"011,\"fds\":{\"sockfd\":{\"type\":\"unknown\"}},\"class\":\"net_"
	"private\",\"prev\":\"ab616e835b079135f89e1db1b3bf15289b29cf9d861"
	"510f7c6da9405e95ceff1\",\"hash\":\"42922a97ed43d97270faf99271c76"
	"02b8d177c015605e5f1724c2ac8ea34c865\"}\n"
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":4,\"ts\":"
	"\"2027-01-01T00:00:00.500000000Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"execve\",\"nr\":59,\"args\":{\"pat"
	"hname\":\"/usr/bin/env\",\"argv\":[\"env\",\"-i\"],\"envp\":{\"l"
	"ist\":[],\"truncated\":true}},\"raw\":[4096,8192,12288,0,0,0],\""
	"ret\":0,\"dur_ns\":2348,\"paths\":{\"pathname\":{\"abs\":\"/usr/"
	"bin/env\",\"class\":\"executable\"}},\"class\":\"executable\",\""
	"prev\":\"42922a97ed43d97270faf99271c7602b8d177c015605e5f1724c2ac"
	"8ea34c865\",\"hash\":\"84921a571cab67fe066755949594821681ab88977"
	"dc2420eb27e2db2116f756d\"}\n"
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":5,\"ts\":"
	"\"2000-02-29T00:00:00.000000042Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"close\",\"nr\":3,\"args\":{\"fd\":"
	"3},\"raw\":[3,0,0,0,0,0],\"ret\":0,\"dur_ns\":2685,\"fds\":{\"fd"
	"\":{\"type\":\"unknown\"}},\"prev\":\"84921a571cab67fe0667559495"
	"94821681ab88977dc2420eb27e2db2116f756d\",\"hash\":\"85ac8095db36"
	"5329444fb56a6964ac6c2532cfe56e51530c4e5598b72fd9a6fc\"}\n"
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":6,\"ts\":"
	"\"1970-01-01T00:00:00.000000007Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"exit_group\",\"nr\":231,\"args\":{"
	"\"status\":1},\"raw\":[1,0,0,0,0,0],\"unfinished\":true,\"unfini"
	"shed_why\":\"exited\",\"prev\":\"85ac8095db365329444fb56a6964ac6"
	"c2532cfe56e51530c4e5598b72fd9a6fc\",\"hash\":\"34050978a8651d685"
	"e91b0d51c5f424439ec9424117a90a4654c3a5858b991f1\"}\n"
	"{\"type\":\"syscall\",\"stream\":\"syscalls\",\"seq\":7,\"ts\":"
	"\"2026-11-28T11:59:59.000000000Z\",\"pid\":4242,\"tid\":4243,\"a"
	"bi\":\"x86_64\",\"syscall\":\"syscall_9999\",\"nr\":9999,\"args"
	"\":{},\"raw\":[18446744073709551615,0,0,0,0,0],\"ret\":-92233720"
	"36854775808,\"dur_ns\":3359,\"prev\":\"34050978a8651d685e91b0d51"
	"c5f424439ec9424117a90a4654c3a5858b991f1\",\"hash\":\"e09a0b233ab"
	"ef987afe7d9dd72ccb5e38d8244bffecff13f9e704b6928d2ef5c\"}\n";

TEST(test_golden_lines)
{
	struct chain c = { .name = "syscalls" };
	struct enrich en;
	struct enrich_probe pr;
	struct call_event ev[8];
	struct sockaddr_in sa;
	struct buf line = BUF_INIT;
	size_t n = 0;

	syscalls_init();
	enrich_init(&en, &pr);
	ev[n] = call(__NR_openat, (uint64_t)(int64_t)AT_FDCWD, 0x7fffffffe000,
		     O_RDONLY | O_CLOEXEC, 3);
	add_str(&ev[n++], 1, "/etc/ld.so.cache");
	ev[n++] = call(__NR_read, 3, 0x55d0c0ffee00, 832, 832);
	ev[n] = call(__NR_openat, 3, 0x7fffffffe100, O_WRONLY | O_CREAT, -13);
	add_str(&ev[n++], 1, "sub/\"q\"\\x\n\xff\xc3\xa9");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(443);
	sa.sin_addr.s_addr = htonl(0x0a000001);
	ev[n] = call(__NR_connect, 5, 0x7ffc00000010, sizeof(sa), -4000);
	add_rec(&ev[n++], 1, BR_BYTES, 0, &sa, sizeof(sa));
	ev[n] = call(__NR_execve, 0x1000, 0x2000, 0x3000, 0);
	add_str(&ev[n], 0, "/usr/bin/env");
	add_rec(&ev[n], 1, BR_ELEM, 0, "env", 3);
	add_rec(&ev[n], 1, BR_ELEM, 0, "-i", 2);
	add_rec(&ev[n], 1, BR_END, 0, NULL, 0);
	add_rec(&ev[n], 2, BR_END, BRF_TRUNC, NULL, 0);
	n++;
	ev[n++] = call(__NR_close, 3, 0, 0, 0);
	ev[n] = call(__NR_exit_group, 1, 0, 0, 0);
	ev[n++].unfinished = UNF_EXITED;
	ev[n] = call(9999, (uint64_t)-1, 0, 0, INT64_MIN);
	ev[n].is_error = 0;
	ev[n++].ret = INT64_MIN;

	for (size_t i = 0; i < n; i++) {
		size_t start = line.len;

		chain_begin(&c, &line, "syscall");
		record_syscall(&line, &ev[i]);
		enrich_call(&en, &ev[i], &line);
		chain_end(&c, &line, start);
		call_event_release(&ev[i]);
	}
	if (getenv("CAPSULE_PRINT_GOLDEN") != NULL)
		fputs(line.s, stdout);
	CHECK_EQ_STR(line.s, golden_lines);
	buf_release(&line);
	enrich_release(&en);
}

/* json_add_time() against gmtime_r + strftime, the seconds in any order. */
TEST(test_time_matches_strftime)
{
	static const int64_t secs[] = {
		0, 1, 59, 60, 86399, 86400, -1, -86401, 951782399, 951782400,
		951868800, 1795867199, 1795867200, 1795867200, 1795867199,
		1798761599, 1798761600, 4102444799, 4102444800, 253402300799,
	};
	struct buf got = BUF_INIT;
	uint64_t x = 88172645463325252u;

	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]) + 2000; i++) {
		int64_t sec;
		long nsec;
		char want[64], frac[16];
		struct tm tm;
		time_t t;

		if (i < sizeof(secs) / sizeof(secs[0])) {
			sec = secs[i];
			nsec = (long)(i * 111111111 % 1000000000);
		} else {
			/* mostly small steps forward, sometimes a jump */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sec = 1795867200 + (int64_t)(x % 8 == 0 ? x % 400000000
								: i / 3);
			nsec = (long)(x % 1000000000);
		}
		t = (time_t)sec;
		CHECK(gmtime_r(&t, &tm) != NULL);
		strftime(want, sizeof(want), "\"%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(frac, sizeof(frac), ".%09ldZ\"", nsec);
		strcat(want, frac);
		buf_reset(&got);
		json_add_time(&got, sec, nsec);
		CHECK_EQ_STR(got.s, want);
	}
	buf_release(&got);
}

/* buf_add_u64() and buf_add_i64() against printf, extremes included. */
TEST(test_integers_match_printf)
{
	static const long long v[] = {
		0, 1, -1, 9, 10, 99, 100, 12345, -12345, 999999999, 1000000000,
		4294967295LL, 4294967296LL, 9999999999999999LL, INT64_MAX,
		INT64_MIN, INT64_MIN + 1,
	};
	struct buf b = BUF_INIT;
	char want[32];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_reset(&b);
		buf_add_i64(&b, v[i]);
		snprintf(want, sizeof(want), "%lld", v[i]);
		CHECK_EQ_STR(b.s, want);
		buf_reset(&b);
		buf_add_u64(&b, (unsigned long long)v[i]);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v[i]);
		CHECK_EQ_STR(b.s, want);
	}
	for (unsigned long long u = 1; u; u *= 3) {
		buf_reset(&b);
		buf_add_u64(&b, u - 1);
		snprintf(want, sizeof(want), "%llu", u - 1);
		CHECK_EQ_STR(b.s, want);
		if (u > UINT64_MAX / 3)
			break;
	}
	buf_release(&b);
}

UNIT_MAIN(UNIT_T(test_golden_lines), UNIT_T(test_time_matches_strftime),
	  UNIT_T(test_integers_match_printf))
