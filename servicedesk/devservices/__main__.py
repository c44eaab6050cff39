"""`python -m servicedesk.devservices run|test|bench|env|stop`"""

import sys

from servicedesk.devservices import main

sys.exit(main(sys.argv[1:]))
