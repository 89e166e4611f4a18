# Defines shared by every build of this branch. On the early part of the beta
# cycle EARLY_BETA_OR_EARLIER is 1; the early-to-late-beta migration empties it.
EARLY_BETA_OR_EARLIER=1
