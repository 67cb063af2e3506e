"""持证上岗 on the home page: certificates expiring within 30 days or expired."""

from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core.register_due import due_todos
from xiaoan.core.todos import provider

provider(due_todos(CERTIFICATES))
