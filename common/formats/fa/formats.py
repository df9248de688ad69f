# Persian: the `when` filter shows dates in the Solar Hijri calendar (۸ بهمن ۱۴۰۱ ۱۱:۲۵)
# and the date filters read them (common/calendars.py). These Gregorian formats
# serve only what Django formats by itself, such as the admin.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 6  # Saturday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
