/*
 * The numbers that daemon, client and forms must agree on, in one place: a
 * client that refused what khoad accepts (or the reverse) is a bug. Plain
 * numbers, so that KHOA_STR() can put them in a message.
 */
#pragma once

#define KHOA_STR_(x)		#x
#define KHOA_STR(x)		KHOA_STR_(x)

/* A protocol message, NUL excluded: 1 MiB. */
#define KHOA_MESSAGE_MAX	1048576

/* A PIN: the longest any token is taken to accept (a module that says more,
 * or 0, is held to this), and so the longest khoa reads. */
#define KHOA_PIN_LEN_MAX	255

/* The organization token checked out like the seal: due back after this
 * many hours unless the clerk says otherwise, and never after more than 31
 * days; 0 is due at once. */
#define KHOA_SEAL_HOURS_DEFAULT	8
#define KHOA_SEAL_HOURS_MAX	744

/* A page of a long list (a list method's "limit"): at most this many
 * items, and by default; a page of the largest items stays far under
 * KHOA_MESSAGE_MAX. */
#define KHOA_PAGE_MAX		1000

/* Expiry.Expiring and khoa expiring: at most a century ahead. */
#define KHOA_EXPIRY_DAYS_MAX	36500

/* The year of a List or Count filter: an ISO 8601 year whose successor
 * still has four digits. */
#define KHOA_YEAR_MIN		1
#define KHOA_YEAR_MAX		9998
