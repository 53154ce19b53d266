"""Every change a user can make, each in one unit of work with its history."""
