/*
 * exec_mem.c: maps anonymous memory, makes it read-only, then executable:
 * the security preset of --trace must see only the PROT_EXEC change.
 */
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	if (mprotect(p, 4096, PROT_READ) < 0)
		return 1;
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC) < 0)
		return 1;
	return 0;
}
