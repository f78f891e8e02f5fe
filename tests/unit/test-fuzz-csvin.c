/* test-fuzz-csvin: the fuzz-csvin target over its seeds and kept crashes. */
#include "../fuzz/fuzz-csvin.c"
#include "fuzz-replay.h"

int
main(void)
{
	return replay_main("csvin");
}
