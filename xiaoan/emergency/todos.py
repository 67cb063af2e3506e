"""应急预案 on the home page: plans whose revision date is near or past."""

from xiaoan.core.register_due import due_todos
from xiaoan.core.todos import provider
from xiaoan.emergency.registers import PLANS

provider(due_todos(PLANS))
