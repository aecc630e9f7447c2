// The identity feature's pages, loaded on demand by the app's router (app/pages.ts).
export { ProfilePage } from './profile/profile-page.tsx';
export { AcceptInvitationPage } from './sign-in/accept-invitation-page.tsx';
export { EnrolPage } from './sign-in/enrol-page.tsx';
export { MfaPage } from './sign-in/mfa-page.tsx';
export { ResetPasswordPage } from './sign-in/reset-password-page.tsx';
export { SignInPage } from './sign-in/sign-in-page.tsx';
export { CustomerUsersPage } from './users/customer-users-page.tsx';
export { StaffUsersPage } from './users/staff-users-page.tsx';
