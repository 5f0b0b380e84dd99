/*
 * Comparing what a module's latest scan read with the registry: tokens that
 * appear (first sightings are recorded as unregistered), vanish, change PIN
 * state or certificates, or carry other certificates than the ones bound to
 * them (token.mismatch). One transaction per scan; nothing is written when
 * nothing changed. Loop thread only.
 */
#pragma once

#include <stddef.h>

#include "khoad.h"

/* 1 when something changed (committed: the snapshot's replies are rebuilt
 * with it), 0 when nothing did, or a negative errno. */
int reconcile_module(struct khoad *d, size_t module);
