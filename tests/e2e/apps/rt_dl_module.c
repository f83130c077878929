/* SPDX-License-Identifier: MIT */
/* A shared object for dlopener.c to load and unload. */
int rt_dl_module_answer(void);

int rt_dl_module_answer(void)
{
	return 42;
}
