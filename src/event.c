/*
 * event.c: life cycle of the pipeline's plain structs (see event.h).
 */
#include "event.h"

#include <stdlib.h>

void call_event_release(struct call_event *ev)
{
	if (ev == NULL)
		return;
	free(ev->blob);
	ev->blob = NULL;
	ev->blob_len = 0;
}
