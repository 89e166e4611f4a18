#! /bin/sh
# Product variables of the desktop browser.

MOZ_APP_VENDOR=Mozilla
MOZ_APP_ID={ec8030f7-c20a-464f-9b0e-13a3a9e97384}
MOZ_BRANDING_DIRECTORY=browser/branding/unofficial
MOZ_OFFICIAL_BRANDING_DIRECTORY=browser/branding/official

# Channels whose MAR files this build accepts as updates, and its own channel.
ACCEPTED_MAR_CHANNEL_IDS=firefox-mozilla-beta,firefox-mozilla-release
MAR_CHANNEL_ID=firefox-mozilla-beta
