"""一楼一档 on the home page: buildings whose next safety appraisal is due soon or past."""

from xiaoan.buildings.registers import BUILDINGS
from xiaoan.core.register_due import due_todos
from xiaoan.core.todos import provider

provider(due_todos(BUILDINGS))
